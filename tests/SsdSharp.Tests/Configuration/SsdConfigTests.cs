using SsdSharp.Configuration;

namespace SsdSharp.Tests.Configuration;

public class SsdConfigTests
{
    [Theory]
    [InlineData("voc300", 21)]
    [InlineData("coco300", 81)]
    [InlineData("voc512", 21)]
    [InlineData("coco512", 81)]
    public void PresetsHaveTheirClassCounts(string name, int classes) =>
        Assert.Equal(classes, SsdConfig.Load(name).NumClasses);

    [Fact]
    public void Torchvision300IsTheCoco300NetworkWithTorchvisionsConventions()
    {
        var tv = SsdConfig.Load("torchvision300");
        Assert.Equal(91, tv.NumClasses);
        Assert.Equal("person", tv.LabelOf(1));
        Assert.Equal(("N/A (12)", "stop sign"), (tv.LabelOf(12), tv.LabelOf(13)));
        Assert.Equal(("N/A (83)", "book"), (tv.LabelOf(83), tv.LabelOf(84)));
        Assert.Equal("toothbrush", tv.LabelOf(90));
        Assert.Equal(SsdPresets.Coco300.MinSizes, tv.MinSizes);
        Assert.Equal(SsdPresets.Coco300.MaxSizes, tv.MaxSizes);
        Assert.Equal(DefaultBoxClip.Sizes, tv.Clip);
        Assert.Equal(Math.Log(1000.0 / 16), tv.SizeOffsetClamp);
        Assert.True(tv.ClipDecodedBoxes && tv.NormalizeBeforeResize);
        Assert.Equal(new DetectionOptions { TopK = 400, MaxDetections = 200 }, DetectionOptions.For(tv));
        Assert.Equal(new DetectionOptions(), DetectionOptions.For(SsdPresets.Voc300));
    }

    [Fact]
    public void TorchvisionJsonRoundTripKeepsItsConventionsAndPostProcessing()
    {
        var json = SsdPresets.Torchvision300.ToJson();
        Assert.Contains("\"clip\": \"sizes\"", json);
        Assert.Contains("\"resize_sampling\": \"pytorch\"", json);
        Assert.Contains("\"top_k\": 400", json);
        Assert.Equal(json, SsdConfig.FromJson(json).ToJson());
    }

    [Theory]
    [InlineData("true", DefaultBoxClip.All)]
    [InlineData("false", DefaultBoxClip.None)]
    public void OlderFilesWithoutTheNewFieldsLoadWithTheReferencesConventions(string clip, DefaultBoxClip expected)
    {
        // A model file written before the torchvision options: "clip" was a boolean and the other fields absent.
        var json = SsdPresets.Voc300.ToJson();
        foreach (var field in new[] { "size_offset_clamp", "clip_decoded_boxes", "pixel_range", "pixel_stds", "normalize_before_resize", "resize_sampling" })
            json = System.Text.RegularExpressions.Regex.Replace(json, $"\n  \"{field}\": (\\[[^\\]]*\\]|[^,\\n]*),", "");
        json = json.Replace("\"clip\": \"all\"", $"\"clip\": {clip}");
        Assert.DoesNotContain("pixel_stds", json);
        var config = SsdConfig.FromJson(json);
        Assert.Equal(expected, config.Clip);
        Assert.Null(config.SizeOffsetClamp);
        Assert.False(config.ClipDecodedBoxes || config.NormalizeBeforeResize);
        Assert.Equal(255, config.PixelRange);
        Assert.Equal([1.0, 1, 1], config.PixelStds);
        Assert.Equal(ResizeSampling.OpenCv, config.ResizeSampling);
    }

    [Theory]
    [InlineData("\"pixel_stds\": [\n    1,", "\"pixel_stds\": [\n    0,", "$.pixel_stds: must be positive")]
    [InlineData("\"pixel_range\": 255", "\"pixel_range\": -1", "$.pixel_range: must be positive")]
    [InlineData("\"size_offset_clamp\": null", "\"size_offset_clamp\": 0", "$.size_offset_clamp: must be positive")]
    [InlineData("\"clip\": \"all\"", "\"clip\": \"centres\"", "clip")]
    public void InvalidPreprocessingOrCodingIsRefusedNamingTheField(string from, string to, string field)
    {
        var json = SsdPresets.Voc300.ToJson();
        Assert.Contains(from, json);
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.FromJson(json.Replace(from, to), "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void InvalidPostProcessingDefaultsAreRefusedNamingTheField()
    {
        var e = Assert.Throws<SsdConfigException>(() => (SsdPresets.Torchvision300 with { Detection = new DetectionOptions { TopK = 0 } }).Validate());
        Assert.Equal("Detection", e.Field);
        Assert.Contains("top-k", e.Message);
        Assert.Throws<SsdInputException>(() => new DetectionOptions { ConfidenceThreshold = double.NaN }.Validate());
        Assert.Throws<SsdInputException>(() => new DetectionOptions { NmsThreshold = double.NaN }.Validate());
    }

    [Fact]
    public void BoxesPerLocationAreDerivedFromAspectRatios()
    {
        Assert.Equal(new[] { 4, 6, 6, 6, 4, 4 }, SsdPresets.Voc300.BoxesPerLocation);
        Assert.Equal(new[] { 4, 6, 6, 6, 6, 4, 4 }, SsdPresets.Voc512.BoxesPerLocation);
    }

    [Fact]
    public void JsonRoundTripKeepsEveryField()
    {
        var path = Path.GetTempFileName();
        try
        {
            SsdPresets.Voc512.Save(path);
            var loaded = SsdConfig.Load(path);
            Assert.Equal(SsdPresets.Voc512.ToJson(), loaded.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BaseLayersAreWrittenAsTheReferenceWritesThemAndOlderStringFormsStillLoad()
    {
        var json = SsdPresets.Shapes300.ToJson();
        Assert.Contains("\"base_layers\": [\n    16,\n    \"M\",", json);
        Assert.Contains("\"channel_order\": \"RGB\"", json);
        // Model files written before the layers were typed hold every entry as a string.
        var older = json.Replace("\"base_layers\": [\n    16,", "\"base_layers\": [\n    \"16\",");
        Assert.NotEqual(json, older);
        Assert.Equal(SsdPresets.Shapes300.BaseLayers, SsdConfig.FromJson(older).BaseLayers);
    }

    [Theory]
    [InlineData("\"X\"")]
    [InlineData("-3")]
    [InlineData("\"12.5\"")]
    public void UnknownBaseLayerIsRefusedNamingIt(string entry)
    {
        var json = SsdPresets.Shapes300.ToJson().Replace("\"base_layers\": [\n    16,", $"\"base_layers\": [\n    {entry},");
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.FromJson(json, "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("base_layers", e.Message);
    }

    [Fact]
    public void LayoutFindsConv4_3AndEverySource()
    {
        var layout = SsdPresets.Voc300.Layout;
        Assert.Equal(12, layout.FirstSourcePosition); // conv4_3: the 13th entry of the VGG16 list
        Assert.Equal(new[] { 38, 19, 10, 5, 3, 1 }, layout.SourceSizes);
        Assert.Equal(new[] { 512, 1024, 512, 256, 256, 256 }, layout.SourceChannels);
        Assert.Equal(new[] { 64, 32, 16, 8, 4, 2, 1 }, SsdPresets.Voc512.Layout.SourceSizes);
    }

    [Fact]
    public void MismatchedListIsRefusedNamingTheField()
    {
        var json = SsdPresets.Voc300.ToJson().Replace("\"steps\": [\n    8,", "\"steps\": [\n");
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.FromJson(json, "my.json"));
        Assert.Contains("my.json", e.Message);
        Assert.Contains("$.steps: expected 6 entries, got 5", e.Message);
    }

    [Fact]
    public void UnknownFieldIsRefused()
    {
        var json = SsdPresets.Voc300.ToJson().Replace("\"clip\"", "\"clipp\"");
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.FromJson(json, "typo.json"));
        Assert.Contains("typo.json", e.Message);
        Assert.Contains("clipp", e.Message);
    }

    [Fact]
    public void UnknownPresetListsTheKnownOnes()
    {
        var e = Assert.Throws<SsdConfigException>(() => SsdConfig.Load("voc301"));
        Assert.Contains("voc300", e.Message);
        Assert.Contains("voc301", e.Message);
    }
}

public class SsdConfigSourceSizeTests
{
    [Fact]
    public void FeatureMapsThatTheNetworkCannotProduceAreRefused()
    {
        // Dropping a pool makes conv4_3 76×76 instead of 38×38.
        var config = SsdPresets.Voc300 with
        {
            BaseLayers = "64 64 128 128 M 256 256 256 C 512 512 512 M 512 512 512".Split(' ').Select(BaseLayer.Parse).ToArray(),
        };
        var e = Assert.Throws<SsdConfigException>(() => config.Validate());
        Assert.Equal("FeatureMaps[0]", e.Field);
        Assert.Contains("75×75", e.Message);
    }

    [Theory]
    [InlineData("voc300")]
    [InlineData("voc512")]
    [InlineData("shapes300")]
    [InlineData("shapes512")]
    public void NetworkOutputCoversEveryDefaultBox(string name)
    {
        var config = SsdConfig.Load(name);
        using var network = new SsdSharp.Modeling.SsdNetwork(config);
        var sources = SsdSharp.Modeling.NetworkSummary.Of(network).Sources;
        Assert.Equal(config.FeatureMaps, sources.Select(s => (int)s.Shape[2]));
    }
}
