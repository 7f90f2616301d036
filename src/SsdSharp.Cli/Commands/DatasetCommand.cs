using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SsdSharp.Data;
using SsdSharp.Imaging;
using SsdSharp.IO;

namespace SsdSharp.Cli.Commands;

/// <summary><c>ssd dataset stats</c>: what a dataset holds and what is wrong with it, optionally drawn.</summary>
internal static class DatasetCommand
{
    private const int ProblemsShown = 20;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset: VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR].", Required = true };
        var split = new Option<string>("--split") { Description = "VOC split (ImageSets/Main/{split}.txt).", DefaultValueFactory = _ => "trainval" };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated class names in id order (default: --config's, else found in the data)." };
        var config = new Option<string?>("--config") { Description = "Preset or config JSON whose class names to use." };
        var policy = new Option<string>("--policy") { Description = "Problem policy: fix, skip-object, skip-image or fail.", DefaultValueFactory = _ => "fix" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not decode every image (faster; only checks that files exist)." };
        var draw = NumericOption.Create("--draw", "Write this many images, spread over the dataset, with their boxes drawn (PNG, named by the images' paths).", new NumberRange<int>(0), 0);
        var output = new Option<string?>("--out") { Description = "Folder for --draw: a new or empty folder, or one ssd made." };
        var maxMegapixels = ImageLimitOption.Create();
        var force = ForceOption.Create();
        var stats = new Command("stats", "Count images and objects per class, box size and aspect histograms, and the problems found.")
        {
            data, split, classes, config, policy, noVerify, draw, output, maxMegapixels, force,
        };
        stats.SetAction(parse => CommandRunner.Run(() =>
        {
            ImageLimitOption.Apply(parse, maxMegapixels);
            int drawCount = parse.GetValue(draw);
            var outDir = parse.GetValue(output);
            if (drawCount > 0 && outDir is null) throw new SsdInputException("--draw needs --out DIR");
            if (drawCount == 0 && outDir is not null) throw new SsdInputException("--out is the folder of --draw N's drawings: give --draw N too");
            var options = DatasetReadOptions.ForEvaluation(ClassNames(parse.GetValue(classes), parse.GetValue(config)), parse.GetValue(split)!) with
            {
                Policy = ParsePolicy(parse.GetValue(policy)!),
                VerifyImages = !parse.GetValue(noVerify),
            };
            var spec = DatasetArgument.Parse(parse.GetValue(data)!);
            // The drawings' folder is checked before the images are read and verified.
            var plan = new OutputPlan().ReadsDataset(spec);
            var folder = drawCount > 0 ? plan.Folder("--out", outDir!, parse.GetValue(force)) : null;
            var dataset = DatasetReader.Read(spec, options);
            Print(dataset, DatasetStatistics.Compute(dataset));
            if (folder != null) Draw(dataset, drawCount, plan, folder);
            return 0;
        }));
        return new Command("dataset", "Inspect detection datasets.") { stats };
    }

    private static IReadOnlyList<string>? ClassNames(string? classes, string? config)
    {
        if (classes != null) return CommaSeparated.Items("--classes", classes, "class names separated by commas");
        return config is null ? null : ModelResolver.LoadConfig(config).ClassNames;
    }

    private static ValidationPolicy ParsePolicy(string text) => text switch
    {
        "fix" => ValidationPolicy.Fix,
        "skip-object" => ValidationPolicy.SkipObject,
        "skip-image" => ValidationPolicy.SkipImage,
        "fail" => ValidationPolicy.Fail,
        _ => throw new SsdInputException($"--policy: '{text}' is not one of fix, skip-object, skip-image, fail"),
    };

    private static void Print(AnnotatedDataset dataset, DatasetStatistics stats)
    {
        // Plain lines are not wrapped at the console width, so file paths stay whole for grep and copy.
        Console.WriteLine(dataset.Spec.ToString());
        Console.WriteLine($"{stats.Images} images ({stats.EmptyImages} without objects), {stats.Objects} objects, " +
            $"image sizes {stats.MinImageSize.Width}–{stats.MaxImageSize.Width} × {stats.MinImageSize.Height}–{stats.MaxImageSize.Height} px");

        var classes = new Table().AddColumns("id", "class", "objects", "difficult", "crowd", "images");
        foreach (var (c, i) in stats.Classes.Select((c, i) => (c, i)))
            classes.AddRow($"{i + 1}", Markup.Escape(c.Name), $"{c.Objects}", $"{c.Difficult}", $"{c.Crowd}", $"{c.Images}");
        AnsiConsole.Write(classes);

        AnsiConsole.Write(HistogramTable("box size √(w·h), px", stats.BoxSizes, v => v.ToString("0", CultureInfo.InvariantCulture), stats.Objects));
        AnsiConsole.Write(HistogramTable("aspect w / h", stats.AspectRatios, v => v.ToString("0.##", CultureInfo.InvariantCulture), stats.Objects));

        if (dataset.Problems.Count == 0)
        {
            Console.WriteLine("No problems found.");
            return;
        }
        Console.WriteLine($"{dataset.Problems.Count} problems: " + string.Join(", ", stats.Problems.Select(p => $"{p.Value} {Describe(p.Key)}")));
        foreach (var problem in dataset.Problems.Take(ProblemsShown)) Console.WriteLine("  " + problem);
        if (dataset.Problems.Count > ProblemsShown) Console.WriteLine($"  … and {dataset.Problems.Count - ProblemsShown} more");
    }

    private static string Describe(ProblemAction action) => action switch
    {
        ProblemAction.Clipped => "boxes clipped",
        ProblemAction.SizeFromImage => "sizes taken from the image",
        ProblemAction.ObjectSkipped => "objects skipped",
        ProblemAction.ImageSkipped => "images skipped",
        _ => "fatal",
    };

    private static Table HistogramTable(string title, Histogram histogram, Func<double, string> format, int total)
    {
        var table = new Table().AddColumns(title, "objects", "share", "");
        var labels = histogram.Labels(format);
        int most = Math.Max(1, histogram.Counts.Max());
        for (int i = 0; i < labels.Count; i++)
        {
            int count = histogram.Counts[i];
            table.AddRow(labels[i], $"{count}", total == 0 ? "–" : $"{100.0 * count / total:F1} %", new string('█', (int)Math.Round(30.0 * count / most)));
        }
        return table;
    }

    /// <summary>Draws <paramref name="count"/> images spread over the whole dataset rather than its first ones, each named by its path.</summary>
    private static void Draw(AnnotatedDataset dataset, int count, OutputPlan plan, OutputFolder folder)
    {
        int n = Math.Min(count, dataset.Images.Count);
        var images = Enumerable.Range(0, n).Select(k => dataset.Images[(int)((long)k * dataset.Images.Count / n)]).ToArray();
        // The image files are inputs too: with --force into the dataset's own folder, a drawing must not replace one.
        plan.Reads(dataset.Images.Select(i => i.ImagePath));
        var targets = plan.DerivedFilesIn("--draw", folder, images.Select(i => i.ImagePath).ToArray(), ".png");
        for (int k = 0; k < n; k++)
        {
            using var bitmap = ImageDecoder.Decode(images[k].ImagePath);
            BoxPainter.Draw(bitmap, images[k].Objects.Select(o => new LabeledBox(o.X1, o.Y1, o.X2, o.Y2,
                o.Difficult ? o.Label + " (difficult)" : o.Crowd ? o.Label + " (crowd)" : o.Label, o.ClassId)));
            BoxPainter.Save(bitmap, targets[k]);
        }
        Console.WriteLine($"Drew {n} images with their ground truth into {folder.Path}");
    }
}
