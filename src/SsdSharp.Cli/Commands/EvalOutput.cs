using SsdSharp.Evaluation;
using Spectre.Console;

namespace SsdSharp.Cli.Commands;

/// <summary>The terminal form of an <see cref="EvaluationReport"/>: a table per class, then the COCO API's twelve lines.</summary>
internal static class EvalOutput
{
    /// <summary>Renders the report into <paramref name="console"/>.</summary>
    public static void Write(EvaluationReport report, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("class");
        table.AddColumn(new TableColumn("gt").RightAligned());
        table.AddColumn(new TableColumn("detections").RightAligned());
        if (report.Voc is not null)
        {
            table.AddColumn(new TableColumn("missed").RightAligned());
            table.AddColumn(new TableColumn("VOC07 AP").RightAligned());
            table.AddColumn(new TableColumn("VOC area AP").RightAligned());
        }
        if (report.Coco is not null)
        {
            table.AddColumn(new TableColumn("COCO AP").RightAligned());
            table.AddColumn(new TableColumn("COCO AP50").RightAligned());
        }

        var classCount = report.Voc?.Classes.Count ?? report.Coco!.Classes.Count;
        for (var k = 0; k < classCount; k++)
        {
            var voc = report.Voc?.Classes[k];
            var coco = report.Coco?.Classes[k];
            var row = new List<string>
            {
                Markup.Escape(voc?.Name ?? coco!.Name),
                (voc?.NumGt ?? coco!.NumGt).ToString(),
                (voc?.NumDet ?? coco!.NumDet).ToString(),
            };
            if (voc is not null) row.AddRange([voc.NumMissed.ToString(), Number(voc.Ap07), Number(voc.ApArea)]);
            if (coco is not null) row.AddRange([Number(coco.AP), Number(coco.AP50)]);
            table.AddRow(row.ToArray());
        }
        var mean = new List<string> { "[bold]mean[/]", "", "" };
        if (report.Voc is { } v) mean.AddRange(["", Bold(v.Map07), Bold(v.MapArea)]);
        if (report.Coco is { } c) mean.AddRange([Bold(c.Metrics.AP), Bold(c.Metrics.AP50)]);
        table.AddRow(mean.ToArray());
        console.Write(table);

        if (report.Coco is not null)
        {
            foreach (var line in report.Coco.Metrics.Summary()) console.WriteLine(line);
        }
    }

    /// <summary>The report as plain text (no colours), for <c>--output</c>.</summary>
    public static string ToText(EvaluationReport report)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 120;
        Write(report, console);
        return writer.ToString();
    }

    private static string Number(double? value) => value is { } v ? v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "–";

    private static string Bold(double? value) => $"[bold]{Number(value)}[/]";
}
