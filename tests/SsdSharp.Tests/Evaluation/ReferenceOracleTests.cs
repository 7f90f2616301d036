using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Boxes;

namespace SsdSharp.Tests.Evaluation;

/// <summary>
/// Differential tests: the fast evaluators against line-by-line transliterations of the reference code
/// (pycocotools <c>COCOeval.evaluateImg/accumulate/summarize</c> and the devkit's <c>voc_eval</c>), on random
/// scenes built to hit the edge rules: equal scores, crowd and difficult objects, every area range,
/// more than 100 detections per image, classes without ground truth, images without anything.
/// </summary>
public class ReferenceOracleTests
{
    private const int Classes = 4;
    private static readonly string[] Names = ["a", "b", "c", "d"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void CocoEqualsTheApiTransliteration(int seed)
    {
        var (truth, dets) = RandomScene(seed);
        var fast = CocoEvaluator.Evaluate(truth, dets, Names).Metrics.Values;
        var slow = CocoOracle(truth, dets);
        for (var i = 0; i < 12; i++) Assert.True(Math.Abs(fast[i] - slow[i]) < 1e-12, $"{CocoMetrics.Names[i]}: fast {fast[i]}, reference {slow[i]}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void VocEqualsTheDevkitTransliteration(int seed)
    {
        var (truth, dets) = RandomScene(seed);
        var fast = VocEvaluator.Evaluate(truth, dets, Names);
        for (var k = 1; k <= Classes; k++)
        {
            var (ap07, area) = VocOracle(truth, dets, k);
            Assert.Equal(ap07, fast.Classes[k - 1].Ap07);
            Assert.Equal(area, fast.Classes[k - 1].ApArea);
        }
    }

    private static (ImageAnnotation[], Dictionary<string, IReadOnlyList<Detection>>) RandomScene(int seed)
    {
        var random = new Random(seed);
        var truth = new List<ImageAnnotation>();
        var dets = new Dictionary<string, IReadOnlyList<Detection>>();
        for (var i = 0; i < 25; i++)
        {
            var objects = new List<ObjectAnnotation>();
            for (var o = random.Next(0, 6); o > 0; o--)
            {
                // Class d never has ground truth; sizes span small, medium and large.
                var k = random.Next(1, Classes);
                float x = random.Next(0, 300), y = random.Next(0, 300), w = random.Next(2, 160), h = random.Next(2, 160);
                var flag = random.Next(8);
                objects.Add(new ObjectAnnotation(k, Names[k - 1], x, y, x + w, y + h, Difficult: flag == 0, Crowd: flag == 1,
                    Area: flag == 2 ? w * h * random.NextDouble() : null));
            }
            var id = $"img{i}";
            // COCO ids in an order other than the list's, so that image order matters for ties.
            truth.Add(new ImageAnnotation(id, id + ".jpg", 500, 500, objects, CocoId: (i * 7) % 25 + 1));
            var list = new List<Detection>();
            var count = i == 3 ? 130 : random.Next(0, 12);
            for (var d = 0; d < count; d++)
            {
                var k = random.Next(1, Classes + 1);
                // Scores from a small set: many ties.
                var score = random.Next(1, 10) / 10f;
                if (objects.Count > 0 && random.Next(3) > 0)
                {
                    var o = objects[random.Next(objects.Count)];
                    float J() => random.Next(-12, 13);
                    list.Add(new Detection(random.Next(4) == 0 ? k : o.ClassId, "", score, new PixelBox(o.X1 + J(), o.Y1 + J(), Math.Max(o.X1 + J() + 1, o.X2 + J()), Math.Max(o.Y1 + J() + 1, o.Y2 + J()))));
                }
                else
                {
                    float x = random.Next(0, 400), y = random.Next(0, 400);
                    list.Add(new Detection(k, "", score, new PixelBox(x, y, x + random.Next(1, 120), y + random.Next(1, 120))));
                }
            }
            if (i % 5 != 4) dets[id] = list;
        }
        return (truth.ToArray(), dets);
    }

    // ---- pycocotools, transliterated (bbox, useCats, default params) ----

    private sealed class Gt
    {
        public double[] Bbox = []; public double Area; public bool Crowd; public int Id; public bool Ignore;
    }

    private sealed class Dt
    {
        public double[] Bbox = []; public double Area; public double Score; public int Id;
    }

    private sealed record EvalImg(List<double> DtScores, int[,] DtMatches, bool[,] DtIgnore, bool[] GtIgnore);

    private static double[] CocoOracle(ImageAnnotation[] truth, Dictionary<string, IReadOnlyList<Detection>> dets)
    {
        var iouThrs = Enumerable.Range(0, 10).Select(i => i * ((0.95 - 0.5) / 9) + 0.5).ToArray();
        iouThrs[9] = 0.95;
        var recThrs = Enumerable.Range(0, 101).Select(i => i * (1.0 / 100) + 0.0).ToArray();
        recThrs[100] = 1.0;
        int[] maxDets = [1, 10, 100];
        (double, double)[] areaRng = [(0, 1e10), (0, 1024), (1024, 9216), (9216, 1e10)];
        var imgIds = truth.Select(t => t.CocoId!.Value).OrderBy(v => v).ToArray();
        var catIds = Enumerable.Range(1, Classes).ToArray();

        var gts = new Dictionary<(long, int), List<Gt>>();
        var dts = new Dictionary<(long, int), List<Dt>>();
        int gtId = 1, dtId = 1;
        foreach (var image in truth)
        {
            foreach (var o in image.Objects)
            {
                var key = (image.CocoId!.Value, o.ClassId);
                if (!gts.TryGetValue(key, out var l)) gts[key] = l = [];
                var crowd = o.Crowd || o.Difficult;
                l.Add(new Gt { Bbox = [o.X1, o.Y1, (double)o.X2 - o.X1, (double)o.Y2 - o.Y1], Area = o.Area ?? ((double)o.X2 - o.X1) * ((double)o.Y2 - o.Y1), Crowd = crowd, Ignore = crowd, Id = gtId++ });
            }
            if (!dets.TryGetValue(image.Id, out var list)) continue;
            foreach (var d in list)
            {
                var key = (image.CocoId!.Value, d.ClassId);
                if (!dts.TryGetValue(key, out var l)) dts[key] = l = [];
                double w = (double)d.Box.X2 - d.Box.X1, h = (double)d.Box.Y2 - d.Box.Y1;
                l.Add(new Dt { Bbox = [d.Box.X1, d.Box.Y1, w, h], Area = w * h, Score = d.Score, Id = dtId++ });
            }
        }
        List<Gt> G(long i, int c) => gts.TryGetValue((i, c), out var l) ? l : [];
        List<Dt> D(long i, int c) => dts.TryGetValue((i, c), out var l) ? l : [];

        var ious = new Dictionary<(long, int), double[,]>();
        foreach (var i in imgIds)
        {
            foreach (var c in catIds)
            {
                var g = G(i, c);
                var d = D(i, c).OrderByDescending(x => x.Score).Take(100).ToList();
                var m = new double[d.Count, g.Count];
                for (var a = 0; a < d.Count; a++)
                {
                    for (var b = 0; b < g.Count; b++)
                    {
                        double[] DB = d[a].Bbox, GB = g[b].Bbox;
                        var da = DB[2] * DB[3];
                        var ga = GB[2] * GB[3];
                        var w = Math.Min(DB[2] + DB[0], GB[2] + GB[0]) - Math.Max(DB[0], GB[0]);
                        if (w <= 0) continue;
                        var h = Math.Min(DB[3] + DB[1], GB[3] + GB[1]) - Math.Max(DB[1], GB[1]);
                        if (h <= 0) continue;
                        var inter = w * h;
                        m[a, b] = inter / (g[b].Crowd ? da : da + ga - inter);
                    }
                }
                ious[(i, c)] = m;
            }
        }

        EvalImg? EvaluateImg(long imgId, int catId, (double Lo, double Hi) aRng, int maxDet)
        {
            var gt = G(imgId, catId);
            var dt = D(imgId, catId);
            if (gt.Count == 0 && dt.Count == 0) return null;
            var gIgnore = gt.Select(g => g.Ignore || g.Area < aRng.Lo || g.Area > aRng.Hi).ToArray();
            var gtind = Enumerable.Range(0, gt.Count).OrderBy(x => gIgnore[x] ? 1 : 0).ToArray();
            var gtS = gtind.Select(x => gt[x]).ToList();
            var gtIg = gtind.Select(x => gIgnore[x]).ToArray();
            var dtS = dt.OrderByDescending(x => x.Score).Take(maxDet).ToList();
            var iou = ious[(imgId, catId)];
            int T = 10, NG = gtS.Count, ND = dtS.Count;
            var gtm = new int[T, NG];
            var dtm = new int[T, ND];
            var dtIg = new bool[T, ND];
            if (iou.Length != 0)
            {
                for (var t = 0; t < T; t++)
                {
                    for (var d = 0; d < ND; d++)
                    {
                        var best = Math.Min(iouThrs[t], 1 - 1e-10);
                        var m = -1;
                        for (var g = 0; g < NG; g++)
                        {
                            if (gtm[t, g] > 0 && !gtS[g].Crowd) continue;
                            if (m > -1 && !gtIg[m] && gtIg[g]) break;
                            if (iou[d, gtind[g]] < best) continue;
                            best = iou[d, gtind[g]];
                            m = g;
                        }
                        if (m == -1) continue;
                        dtIg[t, d] = gtIg[m];
                        dtm[t, d] = gtS[m].Id;
                        gtm[t, m] = dtS[d].Id;
                    }
                }
            }
            for (var t = 0; t < T; t++)
            {
                for (var d = 0; d < ND; d++)
                {
                    var outside = dtS[d].Area < aRng.Lo || dtS[d].Area > aRng.Hi;
                    dtIg[t, d] = dtIg[t, d] || (dtm[t, d] == 0 && outside);
                }
            }
            return new EvalImg(dtS.Select(d => d.Score).ToList(), dtm, dtIg, gtIg);
        }

        int K = catIds.Length, A = 4, M = 3, R = 101;
        var precision = new double[10, R, K, A, M];
        var recall = new double[10, K, A, M];
        for (var t = 0; t < 10; t++) for (var k = 0; k < K; k++) for (var a = 0; a < A; a++) for (var m = 0; m < M; m++) { recall[t, k, a, m] = -1; for (var r = 0; r < R; r++) precision[t, r, k, a, m] = -1; }
        for (var k = 0; k < K; k++)
        {
            for (var a = 0; a < A; a++)
            {
                var E = imgIds.Select(i => EvaluateImg(i, catIds[k], areaRng[a], 100)).Where(e => e != null).Select(e => e!).ToList();
                for (var m = 0; m < M; m++)
                {
                    if (E.Count == 0) continue;
                    var maxDet = maxDets[m];
                    var cols = E.SelectMany(e => Enumerable.Range(0, Math.Min(maxDet, e.DtScores.Count)).Select(d => (e, d))).ToList();
                    var inds = Enumerable.Range(0, cols.Count).OrderByDescending(x => cols[x].e.DtScores[cols[x].d]).ToArray();
                    var npig = E.Sum(e => e.GtIgnore.Count(ig => !ig));
                    if (npig == 0) continue;
                    for (var t = 0; t < 10; t++)
                    {
                        var nd = inds.Length;
                        var rc = new double[nd];
                        var pr = new double[nd];
                        double tp = 0, fp = 0;
                        for (var j = 0; j < nd; j++)
                        {
                            var (e, d) = cols[inds[j]];
                            var matched = e.DtMatches[t, d] != 0;
                            var ig = e.DtIgnore[t, d];
                            if (matched && !ig) tp++;
                            if (!matched && !ig) fp++;
                            rc[j] = tp / npig;
                            pr[j] = tp / (fp + tp + Math.BitIncrement(1.0) - 1.0);
                        }
                        recall[t, k, a, m] = nd > 0 ? rc[nd - 1] : 0;
                        for (var i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
                        var q = new double[R];
                        for (var r = 0; r < R; r++)
                        {
                            var pi = 0;
                            while (pi < nd && rc[pi] < recThrs[r]) pi++;
                            if (pi >= nd) break;
                            q[r] = pr[pi];
                        }
                        for (var r = 0; r < R; r++) precision[t, r, k, a, m] = q[r];
                    }
                }
            }
        }

        double Summ(bool ap, int? t, int a, int m)
        {
            var values = new List<double>();
            for (var tt = 0; tt < 10; tt++)
            {
                if (t is { } only && tt != only) continue;
                for (var k = 0; k < K; k++)
                {
                    if (ap) { for (var r = 0; r < R; r++) values.Add(precision[tt, r, k, a, m]); }
                    else values.Add(recall[tt, k, a, m]);
                }
            }
            var kept = values.Where(v => v > -1).ToList();
            return kept.Count == 0 ? -1 : kept.Average();
        }
        return [Summ(true, null, 0, 2), Summ(true, 0, 0, 2), Summ(true, 5, 0, 2), Summ(true, null, 1, 2), Summ(true, null, 2, 2), Summ(true, null, 3, 2),
            Summ(false, null, 0, 0), Summ(false, null, 0, 1), Summ(false, null, 0, 2), Summ(false, null, 1, 2), Summ(false, null, 2, 2), Summ(false, null, 3, 2)];
    }

    // ---- voc_eval, transliterated (one class); crowd objects count as difficult ----

    private static (double?, double?) VocOracle(ImageAnnotation[] truth, Dictionary<string, IReadOnlyList<Detection>> dets, int classId)
    {
        var ordered = truth.OrderBy(t => t.CocoId).ToArray();
        var recs = ordered.ToDictionary(t => t.Id, t => t.Objects.Where(o => o.ClassId == classId).ToList());
        var npos = recs.Values.Sum(l => l.Count(o => !(o.Difficult || o.Crowd)));
        var taken = recs.ToDictionary(p => p.Key, p => new bool[p.Value.Count]);
        var all = ordered.Where(t => dets.ContainsKey(t.Id)).SelectMany(t => dets[t.Id].Where(d => d.ClassId == classId).Select(d => (t.Id, d))).ToList();
        var sorted = all.OrderByDescending(x => x.d.Score).ToList();
        if (npos == 0) return (null, null);
        var tp = new double[sorted.Count];
        var fp = new double[sorted.Count];
        for (var n = 0; n < sorted.Count; n++)
        {
            var (id, d) = sorted[n];
            var R = recs[id];
            var ovmax = double.NegativeInfinity;
            var jmax = -1;
            for (var g = 0; g < R.Count; g++)
            {
                var iw = Math.Max(Math.Min((double)R[g].X2, d.Box.X2) - Math.Max((double)R[g].X1, d.Box.X1) + 1, 0);
                var ih = Math.Max(Math.Min((double)R[g].Y2, d.Box.Y2) - Math.Max((double)R[g].Y1, d.Box.Y1) + 1, 0);
                var inters = iw * ih;
                var uni = ((double)d.Box.X2 - d.Box.X1 + 1) * ((double)d.Box.Y2 - d.Box.Y1 + 1) + ((double)R[g].X2 - R[g].X1 + 1) * ((double)R[g].Y2 - R[g].Y1 + 1) - inters;
                if (inters / uni > ovmax) { ovmax = inters / uni; jmax = g; }
            }
            if (ovmax > 0.5)
            {
                if (!(R[jmax].Difficult || R[jmax].Crowd))
                {
                    if (!taken[id][jmax]) { tp[n] = 1; taken[id][jmax] = true; }
                    else fp[n] = 1;
                }
            }
            else fp[n] = 1;
        }
        for (var n = 1; n < sorted.Count; n++) { tp[n] += tp[n - 1]; fp[n] += fp[n - 1]; }
        var rec = tp.Select(v => v / npos).ToArray();
        var prec = tp.Select((v, n) => v / Math.Max(v + fp[n], Math.BitIncrement(1.0) - 1.0)).ToArray();
        var ap07 = 0.0;
        for (var i = 0; i < 11; i++)
        {
            var t = i * 0.1;
            var p = Enumerable.Range(0, rec.Length).Where(n => rec[n] >= t).Select(n => prec[n]).DefaultIfEmpty(0).Max();
            ap07 += p / 11;
        }
        var mrec = new[] { 0.0 }.Concat(rec).Concat([1.0]).ToArray();
        var mpre = new[] { 0.0 }.Concat(prec).Concat([0.0]).ToArray();
        for (var i = mpre.Length - 1; i > 0; i--) mpre[i - 1] = Math.Max(mpre[i - 1], mpre[i]);
        var area = 0.0;
        for (var i = 0; i < mrec.Length - 1; i++) if (mrec[i + 1] != mrec[i]) area += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
        return (ap07, area);
    }
}
