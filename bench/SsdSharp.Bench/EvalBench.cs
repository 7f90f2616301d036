using SsdSharp.Data;
using SsdSharp.Evaluation;
using SsdSharp.Inference;
using SsdSharp.Boxes;

namespace SsdSharp.Bench;

/// <summary>
/// <c>eval</c>: both evaluation protocols on a synthetic COCO-sized set, 5,000 images × 100 detections,
/// 80 classes, about 7 objects per image (a few crowd regions), detections jittered around the objects
/// and scattered at random. Prints milliseconds per run (first run is a warm-up and not counted).
/// </summary>
internal static class EvalBench
{
    public static int Run(string[] args)
    {
        var images = args.Length > 0 ? int.Parse(args[0]) : 5000;
        var perImage = args.Length > 1 ? int.Parse(args[1]) : 100;
        var runs = args.Length > 2 ? int.Parse(args[2]) : 5;
        var (truth, detections, classes) = Synthesize(images, perImage, seed: 1);
        Console.WriteLine($"eval: {images} images, {perImage} detections each, {truth.Sum(t => t.Objects.Count)} objects, {classes.Length} classes, {Environment.ProcessorCount} cores");

        Report("VOC (11-point + area)", runs, () => VocEvaluator.Evaluate(truth, detections, classes).Map07!.Value);
        Report("COCO (12 numbers)", runs, () => CocoEvaluator.Evaluate(truth, detections, classes).Metrics.AP);
        return 0;
    }

    private static void Report(string name, int runs, Func<double> evaluate)
    {
        var value = evaluate();
        var times = Measure.SortedMs(() => evaluate(), runs, warmup: 0);
        Console.WriteLine($"{name,-22} median {times[runs / 2],8:F0} ms   min {times[0],8:F0} ms   (mAP/AP {value:F4})");
    }

    private static (ImageAnnotation[] Truth, Dictionary<string, IReadOnlyList<Detection>> Detections, string[] Classes) Synthesize(int imageCount, int perImage, int seed)
    {
        var random = new Random(seed);
        var classes = Enumerable.Range(1, 80).Select(k => $"class{k}").ToArray();
        var truth = new ImageAnnotation[imageCount];
        var detections = new Dictionary<string, IReadOnlyList<Detection>>(imageCount);
        for (var i = 0; i < imageCount; i++)
        {
            const int width = 640, height = 480;
            var objects = new List<ObjectAnnotation>();
            for (var o = random.Next(1, 14); o > 0; o--)
            {
                // Sizes from 8 to 400 pixels cover the small, medium and large ranges.
                var w = (float)Math.Exp(random.NextDouble() * Math.Log(50)) * 8;
                var h = Math.Clamp(w * (float)(0.5 + random.NextDouble()), 4, height - 1);
                w = Math.Min(w, width - 1);
                var x = (float)random.NextDouble() * (width - w);
                var y = (float)random.NextDouble() * (height - h);
                var k = random.Next(80);
                objects.Add(new ObjectAnnotation(k + 1, classes[k], x, y, x + w, y + h, Crowd: random.NextDouble() < 0.01));
            }
            var id = i.ToString("D6");
            truth[i] = new ImageAnnotation(id, id + ".jpg", width, height, objects, i + 1);

            var dets = new List<Detection>(perImage);
            while (dets.Count < perImage)
            {
                if (random.NextDouble() < 0.3)
                {
                    var o = objects[random.Next(objects.Count)];
                    float Jitter(float v, float size) => v + (float)(random.NextDouble() - 0.5) * 0.3f * size;
                    var k = random.NextDouble() < 0.9 ? o.ClassId : random.Next(1, 81);
                    dets.Add(new Detection(k, classes[k - 1], (float)random.NextDouble(),
                        new PixelBox(Jitter(o.X1, o.Width), Jitter(o.Y1, o.Height), Jitter(o.X2, o.Width), Jitter(o.Y2, o.Height))));
                }
                else
                {
                    var x = (float)random.NextDouble() * 600;
                    var y = (float)random.NextDouble() * 440;
                    var k = random.Next(1, 81);
                    dets.Add(new Detection(k, classes[k - 1], (float)random.NextDouble() * 0.5f,
                        new PixelBox(x, y, x + 5 + (float)random.NextDouble() * 200, y + 5 + (float)random.NextDouble() * 200)));
                }
            }
            detections[id] = dets;
        }
        return (truth, detections, classes);
    }
}
