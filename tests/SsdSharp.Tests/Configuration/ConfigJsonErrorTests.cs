using System.Text.RegularExpressions;
using SsdSharp.Configuration;

namespace SsdSharp.Tests.Configuration;

/// <summary>
/// A configuration file with a wrong value is refused in one line naming the key as the file spells it, where it is,
/// and what was expected there, not in System.Text.Json's words (".NET types", cut at their first full stop).
/// </summary>
public class ConfigJsonErrorTests
{
    private static readonly string Json = SsdPresets.Shapes300.ToJson();

    private static string ErrorOf(string json) => Assert.Throws<SsdConfigException>(() => SsdConfig.FromJson(json, "my.json")).Message;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Json);
        return Json.Replace(from, to);
    }

    [Fact]
    public void AnEnumValueNamesTheKeyAndTheValuesTheFileMayHold() =>
        Assert.Matches(@"^my\.json: \$\.channel_order \(line \d+, byte \d+\): expected one of ""RGB"", ""BGR""$", ErrorOf(Regex.Replace(Json, @"""channel_order"": ""[A-Z]+""", "\"channel_order\": \"XYZ\"")));

    [Fact]
    public void AFractionWhereAWholeNumberBelongs() =>
        Assert.Matches(@"^my\.json: \$\.input_size \(line \d+, byte \d+\): expected a whole number$", ErrorOf(Replace("\"input_size\": 300", "\"input_size\": 3.5")));

    [Fact]
    public void AStringInAListOfNumbersNamesItsIndex() =>
        Assert.Matches(@"^my\.json: \$\.steps\[0\] \(line \d+, byte \d+\): expected a number$", ErrorOf(Replace("\"steps\": [", "\"steps\": [\"eight\", ")));

    [Fact]
    public void AnUnknownKeyIsNamedWithTheKeysThereAre()
    {
        var message = ErrorOf(Replace("\"input_size\": 300", "\"input_size\": 300, \"inputsize\": 512"));
        Assert.StartsWith("my.json: $ (line ", message);
        Assert.Contains("unknown key 'inputsize'; expected one of name, class_names, input_size, ", message);
    }

    [Fact]
    public void ASyntaxErrorGivesItsLineAndByte() =>
        Assert.Equal("my.json: malformed JSON (line 2, byte 3)", ErrorOf("{\n  ]"));

    [Fact]
    public void OurConvertersMessagesPassAsTheyAre() =>
        Assert.Matches(@"^my\.json: \$\.base_layers\[0\] \(line \d+, byte \d+\): 'X' is neither a positive channel count nor M or C$",
            ErrorOf(Regex.Replace(Json, @"""base_layers"": \[\s*\d+", "\"base_layers\": [\"X\"")));

    [Fact]
    public void AWrongRecipeValueIsNamedInItsFileWhenTheFileIsRead()
    {
        var config = SsdPresets.Shapes300 with { Recipe = new TrainingRecipe { LearningRate = -1 } };
        Assert.Equal("my.json: $.recipe.learning_rate: must be a positive number, got -1", ErrorOf(config.ToJson()));
        var nested = SsdPresets.Shapes300 with { Recipe = new TrainingRecipe { WithoutPretrainedBase = new TrainingRecipe { LearningRateSteps = [500, 100] } } };
        Assert.Equal("my.json: $.recipe.without_pretrained_base.learning_rate_steps: must be increasing positive iteration numbers, got [500, 100]", ErrorOf(nested.ToJson()));
        var clip = SsdPresets.Shapes300 with { Recipe = new TrainingRecipe { MaxGradientNorm = 0 } };
        Assert.Equal("my.json: $.recipe.clip: must be a positive number, got 0", ErrorOf(clip.ToJson()));
    }

    [Theory]
    [InlineData("max_sizes", "$.max_sizes[0]: must be at least the source's min size")]
    [InlineData("aspect_ratios", "$.aspect_ratios[0]: ratios must be positive and not 1")]
    [InlineData("detection", "$.detection: conf-threshold: must be in [0, 1)")]
    public void AFieldWrongInItsFileIsNamedByTheFilesKey(string key, string expected)
    {
        var json = key switch
        {
            "max_sizes" => Regex.Replace(Json, @"""max_sizes"": \[\s*[\d.]+", "\"max_sizes\": [1"),
            "aspect_ratios" => Regex.Replace(Json, @"""aspect_ratios"": \[\s*\[\s*[\d.]+", "\"aspect_ratios\": [[1"),
            _ => (SsdPresets.Shapes300 with { Detection = new DetectionOptions { ConfidenceThreshold = 2 } }).ToJson(),
        };
        Assert.NotEqual(Json, json);
        Assert.StartsWith($"my.json: {expected}", ErrorOf(json));
    }
}
