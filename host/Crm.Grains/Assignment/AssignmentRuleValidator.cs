using Crm.Client;
using Crm.Grains.Plugins;
using Crm.Sdk;

namespace Crm.Grains.Assignment;

/// <summary>
/// Checks a pool's assignment rule against the strategies loaded now: known names, a valid mode and schedule, and
/// options the strategy accepts (when it can check them). Field errors are keyed by JSON path. A name the pool already
/// uses is accepted back unchanged when it is not loaded (see <c>kept</c>).
/// </summary>
public static class AssignmentRuleValidator
{
    public const int MaxOptions = 50;

    /// <param name="kept">
    /// The pool's rule before this change: a strategy name it already uses is accepted back unchanged even when no loaded
    /// plugin offers it now (a plugin removed or failing to load must not stop the manager saving the pool's other rules);
    /// only a newly named strategy must be loaded.
    /// </param>
    public static async Task<Dictionary<string, string[]>> ValidateAsync(AssignmentRule? rule, IStrategyCatalog catalog, StrategyRunner runner,
        string path = "rules.assignment", AssignmentRule? kept = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (rule is null)
        {
            return errors;
        }

        var inUse = new[] { kept?.Strategy, kept?.Fallback }.OfType<string>().ToHashSet(StringComparer.Ordinal);
        Strategy(rule.Strategy, $"{path}.strategy", catalog, errors, required: true, inUse);
        Strategy(rule.Fallback, $"{path}.fallback", catalog, errors, required: false, inUse);
        var mode = rule.Mode ?? AssignmentModes.Immediate;
        if (!AssignmentModes.All.Contains(mode))
        {
            errors[$"{path}.mode"] = [$"Must be one of: {string.Join(", ", AssignmentModes.All)}."];
        }

        if (mode == AssignmentModes.Batch && rule.BatchEveryMinutes is not (>= 1 and <= 1440))
        {
            errors[$"{path}.batchEveryMinutes"] = ["A batch pool needs batchEveryMinutes from 1 to 1440."];
        }
        else if (mode != AssignmentModes.Batch && rule.BatchEveryMinutes is not null)
        {
            errors[$"{path}.batchEveryMinutes"] = ["Only a batch pool has a schedule; set mode to 'batch' or leave this out."];
        }

        if (!errors.ContainsKey($"{path}.strategy"))
        {
            foreach (var (key, message) in await OptionsAsync(rule.Strategy, rule.Options, runner))
            {
                errors[$"{path}.options{(key.Length == 0 ? "" : "." + key)}"] = [message];
            }

            // A strategy kept while it is not loaded cannot check options: they may only come back as they were.
            using var lease = catalog.RentAssignment(rule.Strategy);
            if (lease is null && !SameOptions(rule.Options, kept?.Options))
            {
                errors[$"{path}.options"] = [$"No loaded plugin offers '{rule.Strategy}' now, so its options cannot be checked: send them back unchanged."];
            }
        }

        return errors;
    }

    private static bool SameOptions(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a ?? new Dictionary<string, string>()).OrderBy(o => o.Key, StringComparer.Ordinal)
        .SequenceEqual((b ?? new Dictionary<string, string>()).OrderBy(o => o.Key, StringComparer.Ordinal));

    /// <summary>The option errors of one strategy (key "" for the options as a whole).</summary>
    public static async Task<Dictionary<string, string>> OptionsAsync(string strategy, IReadOnlyDictionary<string, string>? options, StrategyRunner runner)
    {
        var errors = new Dictionary<string, string>();
        options ??= new Dictionary<string, string>();
        if (options.Count > MaxOptions)
        {
            errors[""] = $"At most {MaxOptions} options.";
            return errors;
        }

        foreach (var (key, value) in options)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 64 || value is null || value.Length > 2000)
            {
                errors[key ?? ""] = "Option names have 1 to 64 characters and values at most 2000.";
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        // The plugin's own check runs like any strategy call (budget, fault counting): a check that hangs or throws
        // answers the manager with the reason rather than holding the request or failing it.
        var check = await runner.ValidateOptionsAsync(strategy, options);
        if (!check.Succeeded)
        {
            errors[""] = $"The strategy could not check its options: {string.Join("; ", check.Faults)}";
            return errors;
        }

        foreach (var (key, message) in check.Value!)
        {
            errors[key] = message;
        }

        return errors;
    }

    private static void Strategy(string? name, string field, IStrategyCatalog catalog, Dictionary<string, string[]> errors, bool required,
        HashSet<string> inUse)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            if (required)
            {
                errors[field] = ["A strategy name is required."];
            }

            return;
        }

        if (!catalog.AssignmentStrategyNames.Contains(name) && !inUse.Contains(name))
        {
            errors[field] = [$"Unknown assignment strategy '{name}'; loaded: {string.Join(", ", catalog.AssignmentStrategyNames.Order(StringComparer.Ordinal))}."];
        }
    }
}
