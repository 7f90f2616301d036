using System.Globalization;

namespace SsdSharp.Bulk;

/// <summary>
/// The shard a batch scheduler asks this process to do, from its environment variables:
/// <list type="bullet">
/// <item>Kubernetes Indexed Jobs: the index in <c>JOB_COMPLETION_INDEX</c> (set by Kubernetes), the count
/// in <c>SSD_SHARD_COUNT</c> (set in the manifest to the Job's <c>completions</c>);</item>
/// <item>Slurm job arrays: index (<c>SLURM_ARRAY_TASK_ID</c> − <c>SLURM_ARRAY_TASK_MIN</c>) / <c>SLURM_ARRAY_TASK_STEP</c>
/// (MIN 0 and STEP 1 when unset), count <c>SLURM_ARRAY_TASK_COUNT</c>.</item>
/// </list>
/// Half-set variables or both schedulers at once are refused, naming the variables, rather than guessed at:
/// a wrong guess would skip or repeat images silently.
/// </summary>
public static class SchedulerShard
{
    /// <summary>Kubernetes' index of a pod of an Indexed Job.</summary>
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>The shard count for Kubernetes, set in the Job's manifest (Kubernetes does not pass <c>completions</c> to the pod).</summary>
    public const string KubernetesCount = "SSD_SHARD_COUNT";

    /// <summary>Slurm's id of an array task.</summary>
    public const string SlurmId = "SLURM_ARRAY_TASK_ID";

    /// <summary>Slurm's number of tasks of the array.</summary>
    public const string SlurmCount = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Slurm's lowest task id of the array.</summary>
    public const string SlurmMin = "SLURM_ARRAY_TASK_MIN";

    /// <summary>Slurm's step between task ids.</summary>
    public const string SlurmStep = "SLURM_ARRAY_TASK_STEP";

    /// <summary>The scheduler's shard, or null when no scheduler variable is set.</summary>
    /// <param name="variable">Reads an environment variable (null when unset); <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <returns>The shard, and the variables it came from for reports (e.g. <c>SLURM_ARRAY_TASK_ID=3</c>…).</returns>
    /// <exception cref="SsdInputException">Variables half set, not integers, out of range, or of both schedulers.</exception>
    public static (Shard Shard, string Source)? FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        var kubernetes = Read(variable, KubernetesIndex, KubernetesCount);
        var slurm = Read(variable, SlurmId, SlurmCount, SlurmMin, SlurmStep);
        if (kubernetes.Count > 0 && slurm.Count > 0)
            throw new SsdInputException($"both Kubernetes ({Names(kubernetes)}) and Slurm ({Names(slurm)}) shard variables are set: unset one set, or give the shard explicitly");
        if (kubernetes.Count > 0) return Kubernetes(kubernetes);
        if (slurm.Count > 0) return Slurm(slurm);
        return null;
    }

    private static (Shard, string) Kubernetes(Dictionary<string, string> set)
    {
        RequireAll(set, "a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX; the manifest sets SSD_SHARD_COUNT to its completions", KubernetesIndex, KubernetesCount);
        long index = Integer(set, KubernetesIndex), count = Integer(set, KubernetesCount);
        if (count < 1) throw new SsdInputException($"{KubernetesCount}={set[KubernetesCount]}: expected at least 1");
        if (index >= count) throw new SsdInputException($"{KubernetesIndex}={set[KubernetesIndex]} is not below {KubernetesCount}={set[KubernetesCount]}: set {KubernetesCount} to the Job's completions");
        return (new Shard((int)index, (int)count), Describe(set, KubernetesIndex, KubernetesCount));
    }

    private static (Shard, string) Slurm(Dictionary<string, string> set)
    {
        RequireAll(set, "a Slurm job array sets both", SlurmId, SlurmCount);
        long id = Integer(set, SlurmId), count = Integer(set, SlurmCount);
        long min = set.ContainsKey(SlurmMin) ? Integer(set, SlurmMin) : 0;
        long step = set.ContainsKey(SlurmStep) ? Integer(set, SlurmStep) : 1;
        var described = Describe(set, SlurmId, SlurmCount, SlurmMin, SlurmStep);
        if (count < 1 || step < 1) throw new SsdInputException($"{described}: expected a task count and a step of at least 1");
        if (id < min || (id - min) % step != 0 || (id - min) / step >= count)
            throw new SsdInputException($"{described}: the task is not on the array's regular steps (shards need an array such as --array=0-{count - 1} or MIN-MAX:STEP)");
        return (new Shard((int)((id - min) / step), (int)count), described);
    }

    private static Dictionary<string, string> Read(Func<string, string?> variable, params string[] names)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (variable(name) is { Length: > 0 } value) set[name] = value.Trim();
        }
        return set;
    }

    private static void RequireAll(Dictionary<string, string> set, string why, params string[] names)
    {
        var missing = names.Where(n => !set.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
            throw new SsdInputException($"{Names(set)} {(set.Count == 1 ? "is" : "are")} set but {string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not ({why})");
    }

    private static long Integer(Dictionary<string, string> set, string name) =>
        long.TryParse(set[name], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value is >= 0 and <= int.MaxValue
            ? value
            : throw new SsdInputException($"{name}={set[name]}: expected a whole number from 0 to {int.MaxValue}");

    private static string Names(Dictionary<string, string> set) => string.Join(", ", set.Keys);

    private static string Describe(Dictionary<string, string> set, params string[] names) =>
        string.Join(", ", names.Where(set.ContainsKey).Select(n => $"{n}={set[n]}"));
}
