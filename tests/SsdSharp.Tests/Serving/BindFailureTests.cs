using System.Net;
using System.Net.Sockets;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// Where <c>ssd serve</c> cannot listen, it says so in one line with exit code 2: an address that is not this
/// machine's was "unexpected SocketException" (exit 3), and every bind failure also logged the host's stack trace.
/// </summary>
public sealed class BindFailureTests
{
    [Fact]
    public void AnAddressThatIsNotThisMachinesIsOneLine()
    {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
        var result = CliRunner.Run("serve", "--host", "192.0.2.1", "--port", "0", "--backend", "libtorch", "--device", "cpu");
        CliAssert.OneLineError(result, "--host 192.0.2.1 --port 0: ");
        AssertNoStackTrace(result.Stdout);
    }

    [Fact]
    public void APortInUseIsOneLineWithoutAStackTrace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = CliRunner.Run("serve", "--port", port.ToString(), "--backend", "libtorch", "--device", "cpu");
        CliAssert.OneLineError(result, $"--host 127.0.0.1 --port {port}: ", "address already in use");
        AssertNoStackTrace(result.Stdout);
    }

    private static void AssertNoStackTrace(string log)
    {
        Assert.DoesNotContain("Exception", log);
        Assert.DoesNotContain("   at ", log);
    }
}
