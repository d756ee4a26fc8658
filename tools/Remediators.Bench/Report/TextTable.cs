using System.Globalization;

namespace Remediators.Bench.Report;

/// <summary>A plain-text table: columns padded to their widest cell, numbers right-aligned, text left-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<(string Text, bool IsNumber)[]> _rows = [];

    /// <param name="cells">One per header; integers and decimals are right-aligned, decimals with two places.</param>
    public TextTable AddRow(params object[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns", nameof(cells));
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public void Write(TextWriter output)
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Text.Length).Prepend(header.Length).Max()).ToArray();
        output.WriteLine(Line(headers.Select(h => (h, false)).ToArray(), widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
            output.WriteLine(Line(row, widths));
    }

    private static string Line((string Text, bool IsNumber)[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, column) => cell.IsNumber ? cell.Text.PadLeft(widths[column]) : cell.Text.PadRight(widths[column]))).TrimEnd();

    private static (string, bool) Format(object cell) => cell switch
    {
        int or long => (Convert.ToString(cell, CultureInfo.InvariantCulture)!, true),
        double number => (number.ToString("0.00", CultureInfo.InvariantCulture), true),
        _ => (cell.ToString() ?? "", false),
    };
}
