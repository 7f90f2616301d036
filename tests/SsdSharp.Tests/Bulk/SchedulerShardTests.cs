using SsdSharp.Bulk;

namespace SsdSharp.Tests.Bulk;

public class SchedulerShardTests
{
    private static (Shard Shard, string Source)? From(params (string Name, string Value)[] variables)
    {
        var set = variables.ToDictionary(v => v.Name, v => v.Value);
        return SchedulerShard.FromEnvironment(name => set.GetValueOrDefault(name));
    }

    private static string Refusal(params (string Name, string Value)[] variables) =>
        Assert.Throws<SsdInputException>(() => From(variables)).Message;

    [Fact]
    public void NoVariablesMeanNoScheduler() => Assert.Null(From());

    [Fact]
    public void KubernetesIndexedJobGivesTheShardOfItsIndex()
    {
        var (shard, source) = From(("JOB_COMPLETION_INDEX", "1"), ("SSD_SHARD_COUNT", "3"))!.Value;
        Assert.Equal(Shard.Parse("1/3"), shard);
        Assert.Equal("JOB_COMPLETION_INDEX=1, SSD_SHARD_COUNT=3", source);
    }

    [Theory]
    [InlineData("2", null, null, "3", "2/3")]        // MIN 0 and STEP 1 when unset
    [InlineData("3", "1", "1", "3", "2/3")]          // --array=1-3
    [InlineData("5", "1", null, "8", "4/8")]         // --array=1-8
    [InlineData("20", "10", "5", "3", "2/3")]        // --array=10-20:5
    [InlineData("0", "0", "1", "1", "0/1")]
    public void SlurmArrayTaskGivesTheShardOfItsPositionInTheArray(string id, string? min, string? step, string count, string expected)
    {
        var variables = new List<(string, string)> { ("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_COUNT", count) };
        if (min != null) variables.Add(("SLURM_ARRAY_TASK_MIN", min));
        if (step != null) variables.Add(("SLURM_ARRAY_TASK_STEP", step));
        Assert.Equal(Shard.Parse(expected), From([.. variables])!.Value.Shard);
    }

    [Fact]
    public void KubernetesIndexWithoutCountIsRefusedNamingBoth()
    {
        var message = Refusal(("JOB_COMPLETION_INDEX", "0"));
        Assert.Contains("JOB_COMPLETION_INDEX is set but SSD_SHARD_COUNT is not", message);
    }

    [Fact]
    public void ShardCountWithoutKubernetesIndexIsRefused() =>
        Assert.Contains("SSD_SHARD_COUNT is set but JOB_COMPLETION_INDEX is not", Refusal(("SSD_SHARD_COUNT", "4")));

    [Theory]
    [InlineData("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT is not")]
    [InlineData("SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_ID is not")]
    [InlineData("SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not")]
    public void HalfSetSlurmVariablesAreRefusedNamingTheMissingOnes(string set, string expected) =>
        Assert.Contains(expected, Refusal((set, "1")));

    [Fact]
    public void BothSchedulersAtOnceAreRefusedNamingTheirVariables()
    {
        var message = Refusal(("JOB_COMPLETION_INDEX", "0"), ("SSD_SHARD_COUNT", "2"), ("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "2"));
        Assert.Contains("JOB_COMPLETION_INDEX, SSD_SHARD_COUNT", message);
        Assert.Contains("SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT", message);
    }

    [Theory]
    [InlineData("3", "3", "JOB_COMPLETION_INDEX=3 is not below SSD_SHARD_COUNT=3")]
    [InlineData("x", "3", "JOB_COMPLETION_INDEX=x: expected a whole number")]
    [InlineData("0", "-2", "SSD_SHARD_COUNT=-2: expected a whole number")]
    [InlineData("0", "0", "SSD_SHARD_COUNT=0: expected at least 1")]
    public void WrongKubernetesValuesAreRefusedNamingThem(string index, string count, string expected) =>
        Assert.Contains(expected, Refusal(("JOB_COMPLETION_INDEX", index), ("SSD_SHARD_COUNT", count)));

    [Theory]
    [InlineData("7", "0", "2", "4")]   // not on the steps of 0-6:2
    [InlineData("0", "1", "1", "4")]   // below MIN
    [InlineData("9", "0", "1", "4")]   // beyond COUNT tasks
    public void SlurmTasksOffTheArraysRegularStepsAreRefused(string id, string min, string step, string count) =>
        Assert.Contains("not on the array's regular steps",
            Refusal(("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_STEP", step), ("SLURM_ARRAY_TASK_COUNT", count)));
}
