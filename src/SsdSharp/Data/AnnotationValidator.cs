using System.Globalization;
using SsdSharp.Imaging;

namespace SsdSharp.Data;

/// <summary>
/// Turns a parsed <see cref="RawImage"/> into a valid <see cref="ImageAnnotation"/> under a
/// <see cref="ValidationPolicy"/>: every box that comes out has 0 ≤ x1 &lt; x2 ≤ width and
/// 0 ≤ y1 &lt; y2 ≤ height. Data problems are returned, not thrown, so that images validated in parallel
/// report in file order; the caller throws the first <see cref="ProblemAction.Failed"/> one.
/// </summary>
internal sealed class AnnotationValidator(ClassIndex classes, DatasetReadOptions options)
{
    /// <summary>
    /// Validates images in parallel and gathers the results in input order, after the problems in
    /// <paramref name="earlier"/>; throws the first <see cref="ProblemAction.Failed"/> problem in that order.
    /// </summary>
    /// <exception cref="DatasetValidationException">A problem under <see cref="ValidationPolicy.Fail"/>, or an unknown class.</exception>
    public (List<ImageAnnotation> Images, List<DatasetProblem> Problems) ValidateAll(IReadOnlyList<RawImage> raws, IEnumerable<DatasetProblem> earlier)
    {
        var results = new (ImageAnnotation? Image, List<DatasetProblem> Problems)[raws.Count];
        Parallel.For(0, raws.Count, i =>
        {
            var problems = new List<DatasetProblem>();
            results[i] = (ValidateInto(raws[i], problems), problems);
        });
        var images = new List<ImageAnnotation>(raws.Count);
        var all = new List<DatasetProblem>(earlier);
        foreach (var (image, problems) in results)
        {
            all.AddRange(problems);
            if (image != null) images.Add(image);
        }
        var failure = all.FirstOrDefault(p => p.Action == ProblemAction.Failed);
        if (failure != null) throw new DatasetValidationException(failure);
        return (images, all);
    }

    private ImageAnnotation? ValidateInto(RawImage raw, List<DatasetProblem> problems)
    {
        if (raw.Malformed != null)
        {
            problems.Add(Problem(raw.File, raw, null, raw.Malformed, ProblemAction.ImageSkipped));
            return null;
        }
        var size = ResolveSize(raw, problems);
        if (size is not var (width, height)) return null;

        var objects = new List<ObjectAnnotation>(raw.Objects.Count);
        bool skipImage = false;
        foreach (var o in raw.Objects)
        {
            if (o.Difficult && !options.KeepDifficult || o.Crowd && !options.KeepCrowd) continue;
            if (o.Malformed != null || !double.IsFinite(o.X1 + o.Y1 + o.X2 + o.Y2))
            {
                var problem = ObjectProblem(raw, o, o.Malformed ?? $"non-finite coordinate in box {Box(o.X1, o.Y1, o.X2, o.Y2)}");
                problems.Add(problem);
                if (problem.Action == ProblemAction.Failed) return null;
                skipImage |= problem.Action == ProblemAction.ImageSkipped;
                continue;
            }
            if (!classes.TryGetId(o.Name!, out int classId))
            {
                // An unknown name is a configuration mismatch, not a data defect: no policy passes it.
                problems.Add(new DatasetProblem(raw.File, raw.Id, o.Index, classes.UnknownMessage(o.Name!), ProblemAction.Failed));
                return null;
            }
            var (box, failure) = CheckBox(raw, o, width, height);
            if (failure != null)
            {
                problems.Add(failure);
                if (failure.Action == ProblemAction.Failed) return null;
                skipImage |= failure.Action == ProblemAction.ImageSkipped;
            }
            if (box is var (x1, y1, x2, y2))
                objects.Add(new ObjectAnnotation(classId, o.Name!, x1, y1, x2, y2, o.Difficult, o.Crowd, o.Area));
        }
        return skipImage ? null : new ImageAnnotation(raw.Id, raw.ImagePath, width, height, objects, raw.CocoId);
    }

    /// <summary>The image size to use, or null when the image is skipped; checks that the image file exists and, if asked, decodes.</summary>
    private (int, int)? ResolveSize(RawImage raw, List<DatasetProblem> problems)
    {
        if (!File.Exists(raw.ImagePath))
        {
            if (!options.RequireImageFiles && raw.Width > 0 && raw.Height > 0) return (raw.Width, raw.Height);
            var message = options.RequireImageFiles ? "image file not found" : "image file not found, and the annotation gives no size";
            problems.Add(Problem(raw.ImagePath, raw, null, message, ProblemAction.ImageSkipped));
            return null;
        }
        int width = raw.Width, height = raw.Height;
        if (width <= 0 || height <= 0)
        {
            var message = $"image size missing, not positive or above {int.MaxValue} (read as {raw.Width}×{raw.Height})";
            if (options.Policy != ValidationPolicy.Fix)
            {
                problems.Add(Problem(raw.File, raw, null, message, ProblemAction.ImageSkipped));
                return null;
            }
            try
            {
                (width, height) = ImageDecoder.ReadSize(raw.ImagePath);
            }
            catch (ImageDecodeException e)
            {
                problems.Add(Problem(raw.ImagePath, raw, null, $"image will not decode: {e.Message}", ProblemAction.ImageSkipped));
                return null;
            }
            problems.Add(Problem(raw.File, raw, null, message, ProblemAction.SizeFromImage));
        }
        if (!options.VerifyImages) return (width, height);
        try
        {
            using var bitmap = ImageDecoder.Decode(raw.ImagePath);
            if (bitmap.Width == width && bitmap.Height == height) return (width, height);
            var problem = Problem(raw.File, raw, null,
                $"image is {bitmap.Width}×{bitmap.Height} but annotated {width}×{height}",
                options.Policy == ValidationPolicy.Fix ? ProblemAction.SizeFromImage : ProblemAction.ImageSkipped);
            problems.Add(problem);
            return problem.Action == ProblemAction.SizeFromImage ? (bitmap.Width, bitmap.Height) : null;
        }
        catch (ImageDecodeException e)
        {
            problems.Add(Problem(raw.ImagePath, raw, null, $"image will not decode: {e.Message}", ProblemAction.ImageSkipped));
            return null;
        }
    }

    /// <summary>The box to keep (null: object dropped) and the problem found, if any.</summary>
    private ((float, float, float, float)? Box, DatasetProblem? Problem) CheckBox(RawImage raw, RawObject o, int width, int height)
    {
        string box = Box(o.X1, o.Y1, o.X2, o.Y2);
        if (o.X1 > o.X2 || o.Y1 > o.Y2)
            return (null, ObjectProblem(raw, o, $"inverted box {box}: x1 > x2 or y1 > y2"));
        if (o.X1 == o.X2 || o.Y1 == o.Y2)
            return (null, ObjectProblem(raw, o, $"zero-area box {box}"));
        if (o.X1 >= 0 && o.Y1 >= 0 && o.X2 <= width && o.Y2 <= height)
            return (((float)o.X1, (float)o.Y1, (float)o.X2, (float)o.Y2), null);

        var outside = $"box {box} extends outside the {width}×{height} image";
        double cx1 = Math.Clamp(o.X1, 0, width), cy1 = Math.Clamp(o.Y1, 0, height);
        double cx2 = Math.Clamp(o.X2, 0, width), cy2 = Math.Clamp(o.Y2, 0, height);
        if (cx1 >= cx2 || cy1 >= cy2)
            return (null, ObjectProblem(raw, o, $"box {box} lies entirely outside the {width}×{height} image"));
        if (options.Policy == ValidationPolicy.Fix)
            return (((float)cx1, (float)cy1, (float)cx2, (float)cy2), Problem(raw.File, raw, o.Index, Named(o, outside), ProblemAction.Clipped));
        return (null, ObjectProblem(raw, o, outside));
    }

    /// <summary>A problem with an object that cannot be repaired: the object or the image goes, or reading stops.</summary>
    private DatasetProblem ObjectProblem(RawImage raw, RawObject o, string message) =>
        Problem(raw.File, raw, o.Index, Named(o, message),
            options.Policy == ValidationPolicy.SkipImage ? ProblemAction.ImageSkipped : ProblemAction.ObjectSkipped);

    /// <summary>A problem whose action is <paramref name="action"/>, or <see cref="ProblemAction.Failed"/> under <see cref="ValidationPolicy.Fail"/>.</summary>
    private DatasetProblem Problem(string file, RawImage raw, int? index, string message, ProblemAction action) =>
        new(file, raw.Id, index, message, options.Policy == ValidationPolicy.Fail ? ProblemAction.Failed : action);

    private static string Named(RawObject o, string message) => o.Name is null ? message : $"'{o.Name}': {message}";

    private static string Box(double x1, double y1, double x2, double y2) =>
        string.Create(CultureInfo.InvariantCulture, $"({x1:G6}, {y1:G6}, {x2:G6}, {y2:G6})");
}
