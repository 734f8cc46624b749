using System.Globalization;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// Reads a strategy's options (text by key) with defaults and ranges, collecting an error per bad key so that the
/// same code validates options at save time and reads them at decision time.
/// </summary>
internal sealed class OptionReader(IReadOnlyDictionary<string, string> options)
{
    private readonly Dictionary<string, string> _errors = [];

    /// <summary>Save time (<c>IAssignmentOptionsValidator</c>): the errors of reading every option, unknown keys included.</summary>
    public static IReadOnlyDictionary<string, string> Validate<T>(IReadOnlyDictionary<string, string> options, Func<OptionReader, T> read)
    {
        var reader = new OptionReader(options);
        read(reader);
        reader.RejectUnknown();
        return reader.Errors;
    }

    /// <summary>Decision time: the settings, or an exception naming the strategy when an option is bad.</summary>
    public static T ReadValid<T>(IReadOnlyDictionary<string, string> options, string strategy, Func<OptionReader, T> read)
    {
        var reader = new OptionReader(options);
        var settings = read(reader);
        reader.ThrowIfInvalid(strategy);
        return settings;
    }
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Errors => _errors;

    public int Int(string key, int fallback, int min, int max)
    {
        _known.Add(key);
        if (!options.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors[key] = $"Must be a whole number from {min} to {max}.";
        return fallback;
    }

    public double Number(string key, double fallback, double min, double max)
    {
        _known.Add(key);
        if (!options.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors[key] = $"Must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.";
        return fallback;
    }

    public string OneOf(string key, string fallback, params string[] allowed)
    {
        _known.Add(key);
        if (!options.TryGetValue(key, out var text))
        {
            return fallback;
        }

        var value = text.Trim().ToLowerInvariant();
        if (allowed.Contains(value))
        {
            return value;
        }

        _errors[key] = $"Must be one of: {string.Join(", ", allowed)}.";
        return fallback;
    }

    /// <summary>A comma-separated list, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> List(string key)
    {
        _known.Add(key);
        return options.TryGetValue(key, out var text)
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
    }

    /// <summary>Pairs <c>a=b,c=d</c>; keys are normalised to lower case.</summary>
    public IReadOnlyDictionary<string, string> Map(string key)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in List(key))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                _errors[key] = "Write pairs as 'region=orgUnitId', separated by commas.";
                continue;
            }

            map[parts[0]] = parts[1];
        }

        return map;
    }

    public void Fail(string key, string message) => _errors[key] = message;

    /// <summary>Marks keys that are read elsewhere (by a chained strategy) as known.</summary>
    public void Allow(IEnumerable<string> keys) => _known.UnionWith(keys);

    /// <summary>Refuses keys no reader asked for: a typo in an option name must not pass silently.</summary>
    public void RejectUnknown()
    {
        foreach (var key in options.Keys.Where(k => !_known.Contains(k)))
        {
            _errors[key] = "Unknown option for this strategy.";
        }
    }

    /// <summary>At decision time, options were validated when saved; a bad one now is the plugin's fault to report.</summary>
    public void ThrowIfInvalid(string strategy)
    {
        if (_errors.Count > 0)
        {
            throw new ArgumentException($"{strategy}: invalid options: " +
                string.Join("; ", _errors.Select(e => $"{e.Key}: {e.Value}")));
        }
    }
}
