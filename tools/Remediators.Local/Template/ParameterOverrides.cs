using System.Text;

namespace Remediators.Local.Template;

/// <summary>Reads parameter overrides written the ways SAM accepts them: <c>A=1 B="x y"</c> and <c>ParameterKey=A,ParameterValue=1</c>.</summary>
internal static class ParameterOverrides
{
    private const string KeyPrefix = "ParameterKey=";
    private const string ValueMarker = ",ParameterValue=";

    /// <param name="texts">Each text may hold several space-separated overrides; later ones win.</param>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> texts)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in texts.SelectMany(SplitWords))
        {
            var (key, value) = ParsePair(word);
            overrides[key] = value;
        }

        return overrides;
    }

    private static (string Key, string Value) ParsePair(string word)
    {
        if (word.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            var marker = word.IndexOf(ValueMarker, StringComparison.Ordinal);
            if (marker > KeyPrefix.Length)
            {
                return (word[KeyPrefix.Length..marker], word[(marker + ValueMarker.Length)..]);
            }
        }
        else if (word.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
        {
            return (word[..equals], word[(equals + 1)..]);
        }

        throw new ConfigurationException(
            $"Invalid parameter override '{word}': expected Key=Value or ParameterKey=Key,ParameterValue=Value.");
    }

    /// <summary>Splits on whitespace outside quotes; quotes are removed and a backslash escapes a quote or a backslash.</summary>
    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\\' && quote != '\'' && i + 1 < text.Length && text[i + 1] is '"' or '\'' or '\\')
            {
                word.Append(text[++i]);
            }
            else if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = null;
            }
            else
            {
                word.Append(c);
            }
        }

        if (quote is not null)
        {
            throw new ConfigurationException($"Unterminated {quote} quote in parameter overrides: {text}");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
