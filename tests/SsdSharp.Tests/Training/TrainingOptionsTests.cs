using SsdSharp.Configuration;
using SsdSharp.Training;

namespace SsdSharp.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void ReferenceScheduleDecaysTenfoldAtEachStep()
    {
        var options = TrainingOptions.For(SsdPresets.Voc300);
        Assert.Equal(120_000, options.Iterations);
        Assert.Equal(1e-3, options.LearningRateAt(0), 15);
        Assert.Equal(1e-3, options.LearningRateAt(79_999), 15);
        Assert.Equal(1e-4, options.LearningRateAt(80_000), 15);
        Assert.Equal(1e-5, options.LearningRateAt(100_000), 15);
        Assert.Equal([280_000L, 360_000L], TrainingOptions.For(SsdPresets.Coco300).LearningRateSteps);
    }

    [Fact]
    public void WarmupRisesLinearlyFromItsFactor()
    {
        var options = new TrainingOptions { LearningRate = 0.3, WarmupIterations = 10, WarmupFactor = 0.1 };
        Assert.Equal(0.03, options.LearningRateAt(0), 12);
        Assert.Equal(0.3 * (0.1 + 0.9 * 0.5), options.LearningRateAt(5), 12);
        Assert.Equal(0.3, options.LearningRateAt(10), 12);
    }

    [Fact]
    public void InvalidOptionsNameTheField()
    {
        var e = Assert.Throws<SsdInputException>(() => new TrainingOptions { LearningRateSteps = [100, 50] }.Validate());
        Assert.Contains("LearningRateSteps", e.Message);
        e = Assert.Throws<SsdInputException>(() => new TrainingOptions { BatchSize = 0 }.Validate());
        Assert.Contains("BatchSize", e.Message);
    }

    [Fact]
    public void JsonRoundTripKeepsEveryField()
    {
        var options = TrainingOptions.For(SsdPresets.Shapes300) with { Seed = 42, MaxGradientNorm = 5 };
        var back = TrainingOptions.FromJson(options.ToJson(), "test");
        Assert.Equal(options.ToJson(), back.ToJson());
        Assert.Equal(42, back.Seed);
    }
}

public class TrainingRecipeTests
{
    [Fact]
    public void AConfigurationFileCarriesItsOwnRecipe()
    {
        var json = SsdPresets.Shapes300.ToJson();
        Assert.Contains("\"recipe\": {", json);
        var custom = SsdConfig.FromJson(json.Replace("\"iterations\": 6500", "\"iterations\": 500").Replace("\"clip\": 10", "\"clip\": 3"));
        var options = TrainingOptions.For(custom);
        Assert.Equal(500, options.Iterations);
        Assert.Equal(3, options.MaxGradientNorm);
        Assert.Equal(2e-2, options.LearningRate);
    }

    [Fact]
    public void ARecipeNamesIgnoredDifficultObjectsOnlyWhenTheyAreIgnored()
    {
        // Dropped is the reference's default: left out, so that models trained so read in versions without the field.
        Assert.DoesNotContain("ignore_difficult", SsdPresets.Shapes300.ToJson());
        var dropped = SsdPresets.Shapes300 with { Recipe = TrainingOptions.For(SsdPresets.Shapes300).AsRecipe() };
        Assert.DoesNotContain("ignore_difficult", dropped.ToJson());
        var ignored = SsdPresets.Shapes300 with { Recipe = (TrainingOptions.For(SsdPresets.Shapes300) with { IgnoreDifficult = true }).AsRecipe() };
        Assert.Contains("\"ignore_difficult\": true", ignored.ToJson());
        Assert.True(TrainingOptions.For(SsdConfig.FromJson(ignored.ToJson())).IgnoreDifficult);
        Assert.False(TrainingOptions.For(SsdConfig.FromJson(dropped.ToJson())).IgnoreDifficult);
    }

    [Fact]
    public void AConfigurationWithoutARecipeTrainsWithTheReferenceRecipe()
    {
        var plain = SsdPresets.Voc300 with { Recipe = null };
        Assert.DoesNotContain("recipe", plain.ToJson());
        Assert.Equal(new TrainingOptions().ToJson(), TrainingOptions.For(plain).ToJson());
        Assert.Equal(TrainingOptions.For(SsdPresets.Voc300, pretrainedBase: true).ToJson(), TrainingOptions.For(plain).ToJson());
    }

    [Theory]
    [InlineData("voc300")]
    [InlineData("coco512")]
    public void FromScratchThePaperConfigurationsClipGradientsAndWithAPretrainedBaseTheyTrainAsTheReference(string name)
    {
        var config = SsdConfig.Load(name);
        Assert.Equal(10, TrainingOptions.For(config).MaxGradientNorm);
        var reference = TrainingOptions.For(config, pretrainedBase: true);
        Assert.Null(reference.MaxGradientNorm);
        Assert.Equal(0, reference.WarmupIterations);
        Assert.Equal(1e-3, reference.LearningRate);
    }
}
