using System.Text.Json;
using SsdSharp.Inference;

namespace SsdSharp.Tests.Infrastructure;

/// <summary>The reference's test-phase detections for the fixture image, and the README's comparison rule.</summary>
internal static class ReferenceDetections
{
    public static List<NormalizedDetection> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.ReferenceFile("ssd300_voc300_seed0_image11_detections.json")));
        return doc.RootElement.GetProperty("detections").EnumerateArray().Select(d =>
        {
            var v = d.EnumerateArray().Select(x => x.GetDouble()).ToArray();
            return new NormalizedDetection((int)v[0], (float)v[1], (float)v[2], (float)v[3], (float)v[4], (float)v[5]);
        }).ToList();
    }

    /// <summary>
    /// Same classes; scores and boxes to <paramref name="tolerance"/> for every reference detection whose
    /// score is not within the tolerance of the threshold or of another score of its class (those may
    /// legitimately swap or drop out on a different BLAS).
    /// </summary>
    public static void AssertMatch(IReadOnlyList<NormalizedDetection> expected, IReadOnlyList<NormalizedDetection> actual,
        double threshold, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Select(d => d.ClassId).Distinct().Order(), actual.Select(d => d.ClassId).Distinct().Order());
        foreach (var group in expected.GroupBy(d => d.ClassId))
        {
            var reference = group.ToList();
            var ours = actual.Where(d => d.ClassId == group.Key).ToList();
            var used = new bool[ours.Count];
            int ambiguous = 0;
            for (int r = 0; r < reference.Count; r++)
            {
                var e = reference[r];
                bool unclear = Math.Abs(e.Score - threshold) <= tolerance ||
                               reference.Where((o, i) => i != r).Any(o => Math.Abs(o.Score - e.Score) <= tolerance);
                if (unclear)
                {
                    ambiguous++;
                    continue;
                }
                int match = Enumerable.Range(0, ours.Count).FirstOrDefault(i => !used[i] && Close(ours[i], e, tolerance), -1);
                Assert.True(match >= 0, $"class {e.ClassId}: reference detection {e} has no counterpart within {tolerance}");
                used[match] = true;
            }
            Assert.True(Math.Abs(reference.Count - ours.Count) <= ambiguous,
                $"class {group.Key}: reference kept {reference.Count}, we kept {ours.Count} ({ambiguous} ambiguous)");
        }
    }

    private static bool Close(NormalizedDetection a, NormalizedDetection b, double tol) =>
        Math.Abs(a.Score - b.Score) <= tol && Math.Abs(a.X1 - b.X1) <= tol && Math.Abs(a.Y1 - b.Y1) <= tol &&
        Math.Abs(a.X2 - b.X2) <= tol && Math.Abs(a.Y2 - b.Y2) <= tol;
}
