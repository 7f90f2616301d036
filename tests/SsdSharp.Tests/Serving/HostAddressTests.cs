using SsdSharp.Serving;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// <c>--host</c> takes an IP address or <c>localhost</c> only: Kestrel listens on every interface for any other
/// name, so <c>--host locahost</c> (a typo) served on http://[::]:PORT instead of loopback.
/// </summary>
public sealed class HostAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.20")]
    [InlineData("fe80::1")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    public void AnAddressOrLocalhostIsTaken(string host) => new ServeOptions { Host = host }.Validate();

    [Theory]
    [InlineData("locahost")]
    [InlineData("example.com")]
    [InlineData("my-machine")]
    [InlineData("0")]
    [InlineData("127.1")]
    [InlineData("")]
    [InlineData("not a host!")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    public void AnythingElseIsRefusedSayingWhatIsExpected(string host)
    {
        var e = Assert.Throws<SsdInputException>(() => new ServeOptions { Host = host }.Validate());
        Assert.Equal($"host: expected an IP address (0.0.0.0 or :: for every interface, IPv6 without brackets) or localhost, got '{host}'", e.Message);
    }

    [Fact]
    public void LocalhostNeedsAPortOfItsOwn()
    {
        // Kestrel refused it with an exception of its own after the model loaded (exit 3).
        var e = Assert.Throws<SsdInputException>(() => new ServeOptions { Host = "localhost", Port = 0 }.Validate());
        Assert.StartsWith("port: 0 (any free port) needs an address", e.Message);
        new ServeOptions { Host = "127.0.0.1", Port = 0 }.Validate();
    }

    [Fact]
    public void AMistypedLocalhostIsOneLineBeforeTheModelLoads() =>
        // Within a limit: where the name is taken, the service runs until stopped.
        CliAssert.OneLineError(CliRunner.RunWithin(TimeSpan.FromMinutes(1), "serve", "--host", "locahost", "--port", "0"), "host:", "'locahost'", "localhost");
}
