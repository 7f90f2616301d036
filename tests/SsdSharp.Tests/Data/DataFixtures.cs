namespace SsdSharp.Tests.Data;

/// <summary>Locates the shared evaluation fixture <c>case_a</c> (the same ground truth as VOC and as COCO).</summary>
internal static class DataFixtures
{
    public static string CaseA()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "evaluation", "case_a");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/fixtures/evaluation/case_a not found above " + AppContext.BaseDirectory);
    }
}
