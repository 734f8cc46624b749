using System.Text.RegularExpressions;
using Crm.Client;
using Scriban;

namespace Crm.Grains.Notes;

/// <summary>What makes a template valid: a named schema of well-formed questions and a body that parses and reads only those questions.</summary>
public static partial class NoteTemplateRules
{
    public const int MaxFields = 50;
    public const int MaxOptions = 50;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Checks a template; answers its field errors (empty when valid) and the compiled body.</summary>
    public static (Dictionary<string, List<string>> Errors, Template? Body) Validate(NoteTemplateRequest request, NoteLimits limits)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (request.Id is not null && !IsValidId(request.Id))
        {
            Add("id", "'id' is lower-case letters, digits and dashes (at most 64), e.g. 'first-visit'.");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            Add("name", "'name' is required.");
        }
        else if (request.Name.Length > 200)
        {
            Add("name", "'name' may have at most 200 characters.");
        }

        if (request.Language is { Length: > 16 })
        {
            Add("language", "'language' may have at most 16 characters.");
        }

        if (request.Description is { Length: > 2000 })
        {
            Add("description", "'description' may have at most 2000 characters.");
        }

        var fields = request.Fields ?? [];
        if (fields.Count == 0)
        {
            Add("fields", "A template needs at least one question.");
        }
        else if (fields.Count > MaxFields)
        {
            Add("fields", $"A template may have at most {MaxFields} questions.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            CheckField(fields[i], $"fields[{i}]", keys, Add);
        }

        if (fields.Count(f => f.NextFollowUp) > 1)
        {
            Add("fields", "At most one question may set the next follow-up date.");
        }

        Template? body = null;
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            Add("body", "'body' is required.");
        }
        else if (request.Body.Length > limits.BodyLimit)
        {
            Add("body", $"'body' may have at most {limits.BodyLimit} characters.");
        }
        else
        {
            var (compiled, bodyErrors) = NoteBodyCompiler.Compile(request.Body, keys);
            foreach (var error in bodyErrors)
            {
                Add("body", error.ToString());
            }

            body = compiled;
        }

        return (errors, errors.Count == 0 ? body : null);
    }

    private static void CheckField(NoteFieldDto field, string path, HashSet<string> keys, Action<string, string> add)
    {
        if (field.Key is null || !KeyPattern().IsMatch(field.Key))
        {
            add($"{path}.key", "A key is letters, digits and underscores, starting with a letter or underscore (at most 64).");
        }
        else if (NoteBodyCompiler.Builtins.Contains(field.Key))
        {
            add($"{path}.key", $"'{field.Key}' is a reserved name in note bodies.");
        }
        else if (!keys.Add(field.Key))
        {
            add($"{path}.key", $"The key '{field.Key}' is used twice.");
        }

        if (string.IsNullOrWhiteSpace(field.Label) || field.Label.Length > 200)
        {
            add($"{path}.label", "A label is required (at most 200 characters).");
        }

        if (field.Help is { Length: > 500 })
        {
            add($"{path}.help", "Help text may have at most 500 characters.");
        }

        if (field.Type is not { } type || !Enum.IsDefined(type))
        {
            add($"{path}.type", "'type' is one of text, singleChoice, multiChoice, number, date, yesNo.");
            return;
        }

        var options = field.Options ?? [];
        if (type is NoteFieldType.SingleChoice or NoteFieldType.MultiChoice)
        {
            if (options.Count is 0 or > MaxOptions)
            {
                add($"{path}.options", $"A choice question needs 1 to {MaxOptions} options.");
            }
            else if (options.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > 100))
            {
                add($"{path}.options", "Options are non-empty and at most 100 characters.");
            }
            else if (options.Distinct(StringComparer.Ordinal).Count() != options.Count)
            {
                add($"{path}.options", "Options must differ from each other.");
            }
        }
        else if (options.Count > 0)
        {
            add($"{path}.options", "Only choice questions have options.");
        }

        if (type != NoteFieldType.Number && (field.Min is not null || field.Max is not null))
        {
            add($"{path}.min", "Only number questions have a range.");
        }
        else if (field.Min is { } min && field.Max is { } max && min > max)
        {
            add($"{path}.min", $"'min' ({min}) is above 'max' ({max}).");
        }

        if (field.NextFollowUp && type != NoteFieldType.Date)
        {
            add($"{path}.nextFollowUp", "Only a date question can set the next follow-up date.");
        }
    }
}
