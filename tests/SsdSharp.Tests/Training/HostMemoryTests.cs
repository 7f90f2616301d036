using System.Runtime.InteropServices;
using SsdSharp.Training;

namespace SsdSharp.Tests.Training;

public class HostMemoryTests
{
    // The settings are process-wide and only change when freed memory goes back to the system, so setting them in
    // the test process is harmless to the other tests.
    [Fact]
    public void KeepsFreedMemoryWithGlibcAndDoesNothingElsewhere()
    {
        bool glibc = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out _);
        Assert.Equal(glibc, HostMemory.KeepFreedMemoryForReuse());
    }
}
