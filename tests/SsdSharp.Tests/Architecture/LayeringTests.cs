using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchUnitNET.Fluent.Slices;

namespace SsdSharp.Tests.Architecture;

/// <summary>
/// The layering of docs/architecture.md as rules: every area (top-level namespace of the library) may use
/// only areas of its own or a lower layer, no two areas depend on each other, and the core assembly
/// (SsdSharp) never touches libtorch, so that a detect-only application can ship without it.
/// </summary>
public class LayeringTests
{
    /// <summary>The areas by layer, bottom first (STYLE.md, "Layers"; docs/architecture.md).</summary>
    public static readonly string[][] Layers =
    [
        ["IO", "Configuration"],
        ["Boxes", "Preprocessing", "Imaging"],
        ["Modeling", "Weights", "Onnx"],
        ["Matching", "Loss"],
        ["Inference", "Data"],
        ["Training", "Evaluation", "Bulk", "Explaining", "Tracking", "Video"],
        ["Serving"],
    ];

    private static readonly ArchUnitNET.Domain.Architecture Library = new ArchLoader()
        .LoadAssemblies(typeof(SsdInputException).Assembly, typeof(SsdSharp.Modeling.SsdNetwork).Assembly, typeof(SsdSharp.Serving.DetectionServer).Assembly)
        .Build();

    private static int LayerOf(string area) => Array.FindIndex(Layers, layer => layer.Contains(area));

    public static TheoryData<string> Areas => new(Layers.SelectMany(l => l));

    [Theory]
    [MemberData(nameof(Areas))]
    public void AnAreaUsesNoAreaOfAHigherLayer(string area)
    {
        var higher = Layers.Skip(LayerOf(area) + 1).SelectMany(l => l).Select(a => $"SsdSharp.{a}").ToArray();
        var areaTypes = Types().That().ResideInNamespaceMatching($@"^SsdSharp\.{area}(\..*)?$");
        // A layer that names an area without types would check nothing: a renamed or removed area must leave the list too.
        Assert.True(areaTypes.GetObjects(Library).Any(), $"SsdSharp.{area} has no types; the layers name an area that does not exist");
        var rule = areaTypes.Should().NotDependOnAny(Types().That().ResideInNamespaceMatching($@"^({string.Join("|", higher.Select(h => h.Replace(".", @"\.")))})(\..*)?$"))
            .Because($"{area} is in layer {LayerOf(area)} and may only use its own or lower layers");
        rule.Check(Library);
    }

    [Fact]
    public void NoTwoAreasDependOnEachOther() =>
        SliceRuleDefinition.Slices().Matching("SsdSharp.(*)").Should().BeFreeOfCycles().Check(Library);

    [Fact]
    public void TheCoreNeverUsesLibtorch() =>
        Types().That().ResideInAssembly(typeof(SsdInputException).Assembly)
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^TorchSharp(\..*)?$"))
            .Because("the core (SsdSharp) must run without libtorch; TorchSharp code belongs in SsdSharp.Torch")
            .Check(Library);

    [Fact]
    public void TheServiceRunsOnTheCoreWithoutLibtorch() =>
        Types().That().ResideInAssembly(typeof(SsdSharp.Serving.DetectionServer).Assembly)
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^TorchSharp(\..*)?$"))
            .Because("SsdSharp.Serving uses the detector through IInferenceBackend, so that it can serve any backend")
            .Check(Library);

    [Fact]
    public void EveryAreaOfTheLibraryHasALayer()
    {
        var areas = Library.Types.Select(t => t.Namespace.FullName.Split('.'))
            .Where(parts => parts.Length > 1 && parts[0] == "SsdSharp").Select(parts => parts[1]).Distinct();
        Assert.All(areas, area => Assert.True(LayerOf(area) >= 0, $"area {area} has no layer in docs/architecture.md and LayeringTests.Layers"));
    }
}
