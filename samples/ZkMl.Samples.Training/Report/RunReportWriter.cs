using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ZkMl.Reporting;

namespace ZkMl.Samples.Training.Report;

/// <summary>Writes a <see cref="RunReport"/> as JSON, or as PNG plots with an HTML page that shows them.</summary>
internal static class RunReportWriter
{
    public const string PageName = "index.html";
    public static readonly string[] PlotNames = ["accuracy.png", "loss.png", "step-times.png", "steps.png"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteJson(RunReport report, string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(report, Json));
    }

    public static void WriteDirectory(RunReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var s = report.Summary;
        string foot = $"{s.Machine}\n{s.Command}";
        double[] epochs = [.. report.Epochs.Select(e => (double)e.Epoch)];
        ChartRenderer.SavePng(new Chart
        {
            Title = $"Accuracy per epoch ({s.Network}, batch {s.BatchSize})",
            XLabel = "epoch",
            IntegerX = true,
            YLabel = "accuracy",
            Footnote = foot,
            Series =
            [
                new ChartSeries("train", epochs, [.. report.Epochs.Select(e => e.TrainAccuracy)]),
                new ChartSeries("test", epochs, [.. report.Epochs.Select(e => e.TestAccuracy)]),
            ],
        }, Path.Combine(directory, PlotNames[0]));
        ChartRenderer.SavePng(new Chart
        {
            Title = "Loss per epoch (MSE of z2/2^f against one-hot targets)",
            XLabel = "epoch",
            IntegerX = true,
            YLabel = "mean squared error",
            Footnote = foot,
            Series =
            [
                new ChartSeries("train", epochs, [.. report.Epochs.Select(e => e.TrainLoss)]),
                new ChartSeries("test", epochs, [.. report.Epochs.Select(e => e.TestLoss)]),
            ],
        }, Path.Combine(directory, PlotNames[1]));
        var proven = report.Steps.Where(x => x.ProveSeconds is not null).ToList();
        var checkedSteps = report.Steps.Where(x => x.VerifySeconds is not null).ToList();
        ChartRenderer.SavePng(new Chart
        {
            Title = $"Prove and verify time per proven step ({s.Backend})",
            XLabel = "step",
            IntegerX = true,
            XRange = (0, s.Steps - 1),
            YLabel = "seconds",
            Footnote = foot,
            Series =
            [
                new ChartSeries("prove", [.. proven.Select(x => (double)x.Step)], [.. proven.Select(x => x.ProveSeconds!.Value)]) { Lines = false },
                new ChartSeries("verify", [.. checkedSteps.Select(x => (double)x.Step)], [.. checkedSteps.Select(x => x.VerifySeconds!.Value)]) { Lines = false },
            ],
        }, Path.Combine(directory, PlotNames[2]));
        ChartRenderer.SavePng(new Chart
        {
            Title = $"Audited steps of {s.Steps} (audit {s.Audit})",
            XLabel = "step",
            IntegerX = true,
            XRange = (0, s.Steps - 1),
            YLabel = "",
            YCategories = ["verified", "proven", "challenged"],
            Footnote = foot,
            Series =
            [
                Strip("verified", report.Steps.Where(x => x.Verified), 0),
                Strip("proven", report.Steps.Where(x => x.Proven), 1),
                Strip("challenged", report.Steps.Where(x => x.Challenged), 2),
                Strip("proven, not verified", report.Steps.Where(x => x.Proven && !x.Verified), 0) with { Cross = true },
            ],
        }, Path.Combine(directory, PlotNames[3]));
        File.WriteAllText(Path.Combine(directory, PageName), Html(report));
    }

    private static ChartSeries Strip(string name, IEnumerable<StepFigures> steps, int row)
    {
        double[] xs = [.. steps.Select(x => (double)x.Step)];
        return new ChartSeries(name, xs, [.. xs.Select(_ => (double)row)]) { Lines = false };
    }

    private static string Html(RunReport report)
    {
        var s = report.Summary;
        var rows = new (string, string)[]
        {
            ("backend", s.Backend), ("network", $"{s.Network}, batch {s.BatchSize}"), ("epochs / steps", $"{s.Epochs} / {s.Steps}"),
            ("audit", $"{s.Audit}, {s.Challenge} challenges"),
            ("steps challenged / proven / verified", $"{s.StepsChallenged} / {s.StepsProven} / {s.StepsVerified}"),
            ("setup", Seconds(s.SetupSeconds)), ("worker (train + commit + prove)", Seconds(s.WorkerSeconds)),
            ("verify (whole transcript)", Seconds(s.VerifySeconds)),
            ("test accuracy before / after", $"{s.AccuracyBefore:P1} / {s.AccuracyAfter:P1}"),
            ("verdict", (s.Accepted ? "ACCEPTED: " : "REJECTED: ") + s.Verdict), ("coverage", s.Coverage),
            ("machine", s.Machine), ("command", s.Command),
        };
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ZkMl training run</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}table{border-collapse:collapse}")
            .Append("td{border:1px solid #ccc;padding:4px 8px}img{max-width:100%;display:block;margin:1em 0}</style></head><body>\n")
            .Append("<h1>ZkMl verifiable training run</h1>\n<table>\n");
        foreach (var (key, value) in rows)
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(key)).Append("</td><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>\n");
        html.Append("</table>\n");
        foreach (string png in PlotNames)
            html.Append("<img src=\"").Append(png).Append("\" alt=\"").Append(Path.GetFileNameWithoutExtension(png)).Append("\">\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Seconds(double s) => s.ToString("F2", CultureInfo.InvariantCulture) + " s";
}
