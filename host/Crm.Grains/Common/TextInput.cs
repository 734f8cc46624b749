using System.Buffers;
using System.Text;

namespace Crm.Grains.Common;

/// <summary>Small helpers for text that arrives in requests.</summary>
public static class TextInput
{
    /// <summary>The value trimmed, or null when it is null, empty or only white space: what an optional field stores.</summary>
    public static string? TrimOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The C0 controls but tab, line feed and carriage return.
    private static readonly SearchValues<char> InvisibleControls =
        SearchValues.Create([.. Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r'))]);

    /// <summary>Whether the text holds a control character no text holds (see <see cref="WithoutInvisibleControls"/>).</summary>
    public static bool HasInvisibleControls(string? value) => value is not null && value.AsSpan().ContainsAny(InvisibleControls);

    /// <summary>The text without the C0 controls but tab, line feed and carriage return (NUL among them): what no text holds.</summary>
    public static string? WithoutInvisibleControls(string? value)
    {
        if (value is null || !HasInvisibleControls(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c >= '\u0020' || c is '\t' or '\n' or '\r')
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The text without control characters. A white-space one (line break, tab) is a space, or in a multi-line text
    /// kept as <c>\n</c> or <c>\t</c> (<c>\r\n</c> and <c>\r</c> as <c>\n</c>); the others are dropped.
    /// </summary>
    public static string? WithoutControls(string? value, bool multiLine)
    {
        if (value is null || !(value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || value.AsSpan().ContainsAnyInRange('\u007F', '\u009F')))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsControl(c))
            {
                text.Append(c);
            }
            else if (multiLine && c is '\n' or '\t')
            {
                text.Append(c);
            }
            else if (multiLine && c == '\r')
            {
                if (i + 1 >= value.Length || value[i + 1] != '\n')
                {
                    text.Append('\n');
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }
}
