using System.IO.Compression;
using System.Xml.Linq;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Deployment;

/// <summary>SsdSharp and SsdSharp.Torch packed as they are published, once for the tests of this class.</summary>
public sealed class PackedLibraries : IDisposable
{
    internal LocalFeed Feed { get; } = new();

    public PackedLibraries()
    {
        Feed.Pack(Path.Combine("src", "SsdSharp"));
        Feed.Pack(Path.Combine("src", "SsdSharp.Torch"));
    }

    public void Dispose() => Feed.Dispose();
}

/// <summary>
/// The library packages: what they contain and depend on, and an application that uses them from the
/// packed feed, as a user would: it loads libtorch (on Debian 12 only thanks to the libstdc++ fix that
/// SsdSharp.Torch brings as buildTransitive targets) and runs the bundled model.
/// </summary>
[Collection(PackagingCollection.Name)]
public class LibraryPackageTests(PackedLibraries packed) : IClassFixture<PackedLibraries>
{
    private const string GlibcxxVersion = "GLIBCXX_3.4.32";

    [Theory]
    [InlineData("SsdSharp")]
    [InlineData("SsdSharp.Torch")]
    public void PackageHasMetadataReadmeDocsAndSymbols(string id)
    {
        using var package = ZipFile.OpenRead(packed.Feed.Package(id));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("README.md", entries);
        var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.NotEqual("1.0.0", Value(metadata, "version"));

        using var symbols = ZipFile.OpenRead(packed.Feed.Package(id, ".snupkg"));
        Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void CorePackageCarriesTheLicenceOfItsEmbeddedFont()
    {
        using var package = ZipFile.OpenRead(packed.Feed.Package("SsdSharp"));
        Assert.Contains("licenses/LICENSE-DejaVu.txt", package.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void TorchPackageDependsOnManagedTorchSharpAndBringsTheLibStdCxxFix()
    {
        using var package = ZipFile.OpenRead(packed.Feed.Package("SsdSharp.Torch"));
        var dependencies = Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Contains("TorchSharp", dependencies);
        Assert.Contains("SsdSharp", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("TorchSharp-", StringComparison.Ordinal) || d.StartsWith("libtorch", StringComparison.Ordinal));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("buildTransitive/SsdSharp.Torch.targets", entries);
        Assert.Contains("buildTransitive/LibStdCxxCompat.targets", entries);
        Assert.Contains("buildTransitive/WeakenGlibcxxRequirement.cs", entries);
    }

    [Fact]
    public void ApplicationOnThePackagesLoadsLibTorchAndDetects()
    {
        var app = Path.Combine(packed.Feed.Folder, "consumer");
        Directory.CreateDirectory(app);
        var torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <RuntimeIdentifier>{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SsdSharp.Torch" Version="{packed.Feed.Version("SsdSharp.Torch")}" />
                <PackageReference Include="TorchSharp-cpu" Version="{torchSharp}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using SsdSharp.Inference;
            using SsdSharp.Weights;

            using var sum = TorchSharp.torch.tensor(new float[] { 1, 2, 3 }).sum();
            using var detector = new SsdDetector(new LibTorchBackend(NetworkFile.Load(args[0])));
            var labels = detector.Detect(args[1]).Detections.Where(d => d.Score >= 0.3f).Select(d => d.Label);
            Console.WriteLine($"sum {sum.item<float>()}; {string.Join(", ", labels)}");
            """);

        var build = packed.Feed.Dotnet("build", app, "-c", "Release", "-o", Path.Combine(app, "out"));
        Assert.True(build.ExitCode == 0, build.Output);
        if (!SystemLibStdCxxHas(GlibcxxVersion))
            Assert.Contains($"Marked {GlibcxxVersion} weak in", build.Output);

        var run = packed.Feed.Dotnet(Path.Combine(app, "out", "Consumer.dll"),
            RepositoryLayout.Path("models", "shapes300.safetensors"), RepositoryLayout.Path("samples", "shapes-1.jpg"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("sum 6;", run.Output);
        Assert.Contains("circle", run.Output);
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static string? Value(XElement metadata, string name) =>
        metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        var library = candidates.FirstOrDefault(File.Exists);
        return library is null || File.ReadAllBytes(library).AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }
}
