using System.Text;

namespace AutoGlacier.Tests.Support;

/// <summary>
/// Replays what a program wrote to a terminal (a `script` typescript) onto a virtual screen, understanding the few
/// control sequences AutoGlacier's live display uses (CR, LF, cursor up, erase line, erase below), so a test can
/// check what a person would see at the end.
/// </summary>
internal static class ScreenReplay
{
    public static IReadOnlyList<string> FinalScreen(string typescript)
    {
        var rows = new List<StringBuilder> { new() };
        int row = 0, col = 0;
        for (int i = 0; i < typescript.Length; i++)
        {
            char c = typescript[i];
            switch (c)
            {
                case '\r': col = 0; break;
                case '\n':
                    row++;
                    col = 0;
                    while (rows.Count <= row) { rows.Add(new StringBuilder()); }
                    break;
                case '\u001b':
                    i = Escape(typescript, i, rows, ref row, col);
                    break;
                default:
                    var line = rows[row];
                    while (line.Length < col) { line.Append(' '); }
                    if (col < line.Length) { line[col] = c; } else { line.Append(c); }
                    col++;
                    break;
            }
        }

        return rows.Select(r => r.ToString()).Where(r => !r.StartsWith("Script ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Applies one escape sequence; returns the index of its last character.</summary>
    private static int Escape(string text, int start, List<StringBuilder> rows, ref int row, int col)
    {
        if (start + 1 >= text.Length || text[start + 1] != '[') { return start + 1; } // e.g. ESC = (keypad mode)
        int end = start + 2;
        while (end < text.Length && !char.IsAsciiLetter(text[end])) { end++; }
        string argument = text[(start + 2)..end];
        switch (text[end])
        {
            case 'A':
                row = Math.Max(0, row - (int.TryParse(argument, out int n) ? n : 1));
                break;
            case 'J':
                if (col < rows[row].Length) { rows[row].Length = col; }
                rows.RemoveRange(row + 1, rows.Count - row - 1);
                break;
            case 'K':
                if (argument == "2") { rows[row].Clear(); } else if (col < rows[row].Length) { rows[row].Length = col; }
                break;
        }

        return end;
    }
}
