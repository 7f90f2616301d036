namespace SsdSharp.Data;

/// <summary>What a reader did about one <see cref="DatasetProblem"/>.</summary>
public enum ProblemAction
{
    /// <summary>The box was clipped to the image.</summary>
    Clipped,

    /// <summary>The image size was taken from the image file.</summary>
    SizeFromImage,

    /// <summary>The object was left out.</summary>
    ObjectSkipped,

    /// <summary>The whole image was left out.</summary>
    ImageSkipped,

    /// <summary>Reading stopped (policy <see cref="ValidationPolicy.Fail"/>).</summary>
    Failed,
}
