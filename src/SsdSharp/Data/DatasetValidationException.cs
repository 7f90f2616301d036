namespace SsdSharp.Data;

/// <summary>A problem in a dataset under <see cref="ValidationPolicy.Fail"/>, or one no policy can pass (malformed JSON, unknown class).</summary>
public sealed class DatasetValidationException(DatasetProblem problem) : SsdInputException(problem.Location + ": " + problem.Message)
{
    /// <summary>The problem, with file and object index.</summary>
    public DatasetProblem Problem { get; } = problem;
}
