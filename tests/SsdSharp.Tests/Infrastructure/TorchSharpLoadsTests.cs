using static TorchSharp.torch;

namespace SsdSharp.Tests.Infrastructure;

public class TorchSharpLoadsTests
{
    [Fact]
    public void NativeLibrariesLoadAndCompute()
    {
        // Fails with a DllNotFound/TypeInitialization error when the libstdc++ fix was not applied.
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = a.matmul(a);
        Assert.Equal(14f, b.item<float>());
    }
}
