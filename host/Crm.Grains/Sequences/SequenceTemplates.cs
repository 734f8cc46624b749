using System.Collections.Concurrent;
using Crm.Grains.Notes;
using Scriban;

namespace Crm.Grains.Sequences;

/// <summary>
/// A step's message is a Scriban template run in the notes' sandbox (<see cref="NoteRenderer"/>): it reads the
/// customer's <c>name</c>, <c>company</c>, <c>phone</c>, <c>email</c> and the step number <c>step</c>, nothing else.
/// Compiled bodies are kept per text, so a to-do page renders without parsing again.
/// </summary>
public sealed class SequenceTemplates(TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Variables = ["name", "company", "phone", "email", "step"];

    private readonly ConcurrentDictionary<string, Template> _compiled = new(StringComparer.Ordinal);

    /// <summary>Errors of a body (empty: it compiles and reads only the variables above).</summary>
    public static IReadOnlyList<string> Check(string body) =>
        body.Length > NoteLimits.Default.BodyLimit ? [$"At most {NoteLimits.Default.BodyLimit} characters."]
        : NoteBodyCompiler.Compile(body, Variables).Errors.Select(e => e.ToString()).ToList();

    /// <summary>
    /// Why a body that compiles fails when run (a loop past the limit, too long a message, too slow), tried with a sample
    /// customer's values; null when it renders. Caught when the sequence is written, not when each customer's step is.
    /// </summary>
    public static async Task<string?> TrialErrorAsync(string body, int step)
    {
        var (compiled, errors) = NoteBodyCompiler.Compile(body, Variables);
        if (compiled is null)
        {
            return string.Join("; ", errors);
        }

        var result = await NoteRenderer.RenderAsync(compiled, new Dictionary<string, object?>
        {
            ["name"] = "王芳 Wang Fang", ["company"] = "杭州示例贸易有限公司", ["phone"] = "+8613800138000", ["email"] = "wang.fang@example.com",
            ["step"] = step,
        }, NoteLimits.Default, new DateTime(2026, 3, 2, 9, 0, 0)); // a trial: any date will do
        return result.Error;
    }

    public async Task<(string? Text, string? Error)> RenderAsync(string body, string? name, string? company, string? phone, string? email, int step)
    {
        if (!_compiled.TryGetValue(body, out var template))
        {
            var (compiled, errors) = NoteBodyCompiler.Compile(body, Variables);
            if (compiled is null)
            {
                return (null, string.Join("; ", errors));
            }

            template = _compiled.GetOrAdd(body, compiled);
            if (_compiled.Count > 10_000)
            {
                _compiled.Clear();
            }
        }

        var result = await NoteRenderer.RenderAsync(template, new Dictionary<string, object?>
        {
            ["name"] = name, ["company"] = company, ["phone"] = phone, ["email"] = email, ["step"] = step,
        }, NoteLimits.Default, clock.GetUtcNow().UtcDateTime); // date.now by the injected clock, in UTC (a step is no one rep's note)
        return (result.Text, result.Error);
    }
}
