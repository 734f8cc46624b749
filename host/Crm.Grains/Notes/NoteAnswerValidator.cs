using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Client;
using Crm.Grains.Common;
using Scriban.Runtime;

namespace Crm.Grains.Notes;

/// <summary>
/// Checks a rep's answers against a template's schema. Wire shapes: text and single choice are strings, multiple
/// choice an array of strings, number a JSON number, date "yyyy-MM-dd", yes/no a boolean; null means unanswered.
/// Errors are keyed <c>answers.&lt;field key&gt;</c>.
/// </summary>
public static class NoteAnswerValidator
{
    public const int MaxTextLength = 2000;

    public static (NoteAnswers? Answers, Dictionary<string, List<string>> Errors) Validate(
        IReadOnlyList<NoteFieldDto> fields, IReadOnlyDictionary<string, JsonElement>? answers)
    {
        answers ??= new Dictionary<string, JsonElement>();
        var errors = new Dictionary<string, List<string>>();
        void Add(string key, string message) => (errors.TryGetValue($"answers.{key}", out var list) ? list : errors[$"answers.{key}"] = []).Add(message);

        foreach (var key in answers.Keys.Where(k => fields.All(f => f.Key != k)))
        {
            Add(key, $"The template has no question '{key}'.");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var json = new JsonObject();
        var choices = new List<NoteChoice>();
        DateOnly? nextFollowUp = null;
        foreach (var field in fields)
        {
            var key = field.Key!;
            values[key] = null;
            if (!answers.TryGetValue(key, out var answer) || IsEmpty(answer))
            {
                if (field.Required)
                {
                    Add(key, $"'{field.Label}' needs an answer.");
                }

                continue;
            }

            if (!JsonText.IsText(answer))
            {
                // Its strings are read below: one that is no text would throw.
                Add(key, $"The answer {JsonText.NotText}");
                continue;
            }

            switch (field.Type)
            {
                case NoteFieldType.Text when answer.ValueKind == JsonValueKind.String:
                    // Answers are JSON values, not strings the request's reader cleaned: the controls no text holds go here.
                    var text = TextInput.WithoutControls(answer.GetString(), multiLine: true)!.Trim();
                    if (text.Length > MaxTextLength)
                    {
                        Add(key, $"At most {MaxTextLength} characters.");
                        break;
                    }

                    values[key] = text;
                    json[key] = text;
                    break;

                case NoteFieldType.SingleChoice when answer.ValueKind == JsonValueKind.String:
                    var choice = answer.GetString()!;
                    if (!(field.Options ?? []).Contains(choice))
                    {
                        Add(key, $"'{choice}' is not one of: {string.Join(", ", field.Options ?? [])}.");
                        break;
                    }

                    values[key] = choice;
                    json[key] = choice;
                    choices.Add(new NoteChoice(key, choice));
                    break;

                case NoteFieldType.MultiChoice when answer.ValueKind == JsonValueKind.Array:
                    var picked = new List<string>();
                    foreach (var item in answer.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String || !(field.Options ?? []).Contains(item.GetString()!))
                        {
                            Add(key, $"{item} is not one of: {string.Join(", ", field.Options ?? [])}.");
                        }
                        else if (!picked.Contains(item.GetString()!))
                        {
                            picked.Add(item.GetString()!);
                        }
                    }

                    var array = new ScriptArray();
                    array.AddRange(picked);
                    values[key] = array;
                    json[key] = new JsonArray(picked.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
                    choices.AddRange(picked.Select(p => new NoteChoice(key, p)));
                    break;

                case NoteFieldType.Number when answer.ValueKind == JsonValueKind.Number:
                    var number = answer.GetDouble();
                    if (field.Min is { } min && number < min || field.Max is { } max && number > max)
                    {
                        Add(key, $"{number.ToString(CultureInfo.InvariantCulture)} is outside {field.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"}..{field.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}.");
                        break;
                    }

                    values[key] = number;
                    json[key] = number;
                    break;

                case NoteFieldType.Date when answer.ValueKind == JsonValueKind.String:
                    if (!DateOnly.TryParseExact(answer.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        Add(key, $"'{answer.GetString()}' is not a date (yyyy-MM-dd).");
                        break;
                    }

                    values[key] = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                    json[key] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    if (field.NextFollowUp)
                    {
                        nextFollowUp = date;
                    }

                    break;

                case NoteFieldType.YesNo when answer.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    var yes = answer.GetBoolean();
                    values[key] = yes;
                    json[key] = yes;
                    choices.Add(new NoteChoice(key, yes ? "yes" : "no"));
                    break;

                default:
                    Add(key, $"Expected {Shape(field.Type)}, got {answer.ValueKind.ToString().ToLowerInvariant()}.");
                    break;
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new NoteAnswers(values, json.ToJsonString(), choices, nextFollowUp), errors);
    }

    /// <summary>Plausible answers for every question: what a preview without answers, and the save-time trial render, use.</summary>
    public static Dictionary<string, JsonElement> SampleAnswers(IReadOnlyList<NoteFieldDto> fields, DateOnly today)
    {
        var sample = new JsonObject();
        foreach (var field in fields.Where(f => f.Key is not null))
        {
            sample[field.Key!] = field.Type switch
            {
                NoteFieldType.SingleChoice => field.Options?.FirstOrDefault(),
                NoteFieldType.MultiChoice => new JsonArray((field.Options ?? []).Take(2).Select(o => (JsonNode)JsonValue.Create(o)).ToArray()),
                NoteFieldType.Number => field.Min ?? Math.Min(1, field.Max ?? 1),
                NoteFieldType.Date => today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                NoteFieldType.YesNo => true,
                _ => field.Label,
            };
        }

        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(sample.ToJsonString())!;
    }

    private static bool IsEmpty(JsonElement answer) =>
        answer.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
        || answer.ValueKind == JsonValueKind.String && JsonText.StringOrNull(answer) is { } text && string.IsNullOrWhiteSpace(text)
        || answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() == 0;

    private static string Shape(NoteFieldType? type) => type switch
    {
        NoteFieldType.MultiChoice => "an array of options",
        NoteFieldType.Number => "a number",
        NoteFieldType.Date => "a date string (yyyy-MM-dd)",
        NoteFieldType.YesNo => "true or false",
        _ => "a string",
    };
}
