using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Crm.Grains.Notes;

/// <summary>
/// Renders a note body in a sandbox: the template sees the answers and four function objects (string, array,
/// math, date) and nothing else. No .NET member is reachable (the member filter refuses all reflected members and
/// relaxed member access is off, so <c>x.GetType</c> is an error, not a silent null); loops, recursion, string size
/// and output are capped; a render that runs past its time is cancelled. <c>date.now</c> is the writer's local time by the
/// server's injected clock (<paramref name="localNow"/> of <see cref="RenderAsync"/>), not the machine's wall clock.
/// </summary>
public static class NoteRenderer
{
    /// <param name="localNow">What <c>date.now</c> answers: the writer's local time (its unit's calendar time zone).</param>
    public static async Task<NoteRenderResult> RenderAsync(Template template, IReadOnlyDictionary<string, object?> answers, NoteLimits limits,
        DateTime localNow)
    {
        var render = Task.Run(() => Render(template, answers, limits, localNow), CancellationToken.None);
        try
        {
            // Scriban checks the token between statements; the backstop also covers a single long built-in call
            // and a busy thread pool.
            return await render.WaitAsync(limits.Timeout + TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            return new NoteRenderResult(null, $"The template ran longer than {limits.Timeout.TotalMilliseconds:0} ms and was stopped.");
        }
    }

    private static NoteRenderResult Render(Template template, IReadOnlyDictionary<string, object?> answers, NoteLimits limits, DateTime localNow)
    {
        var context = new TemplateContext(SafeBuiltins(localNow), StringComparer.Ordinal)
        {
            LoopLimit = limits.LoopLimit,
            LoopLimitQueryable = limits.LoopLimit,
            RecursiveLimit = limits.RecursiveLimit,
            LimitToString = limits.OutputLimit,
            OutputLimit = limits.OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            ObjectRecursionLimit = 10,
            EnableRelaxedMemberAccess = false,
            EnableRelaxedTargetAccess = false,
            MemberFilter = _ => false,
            RegexTimeOut = TimeSpan.FromMilliseconds(100),
            TemplateLoader = null,
        };
        var model = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in answers)
        {
            model.SetValue(key, value, readOnly: false);
        }

        context.PushGlobal(model);

        // The clock starts here, so that setting up the sandbox on a cold or busy server does not count against the template.
        using var cancel = new CancellationTokenSource(limits.Timeout);
        context.CancellationToken = cancel.Token;
        try
        {
            return new NoteRenderResult(template.Render(context), null);
        }
        catch (ScriptAbortException)
        {
            return new NoteRenderResult(null, $"The template ran longer than {limits.Timeout.TotalMilliseconds:0} ms and was stopped.");
        }
        catch (ScriptRuntimeException ex)
        {
            return new NoteRenderResult(null, Describe(ex));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException
                                       or InvalidCastException or IndexOutOfRangeException or NotSupportedException or ArithmeticException)
        {
            // Built-in functions may throw plain .NET exceptions on odd input; they are the template's fault, not the server's.
            return new NoteRenderResult(null, $"The template failed: {ex.Message}");
        }
    }

    /// <summary>1-based position and the message, without Scriban's "&lt;input&gt;" file marker.</summary>
    private static string Describe(ScriptRuntimeException ex) =>
        $"line {ex.Span.Start.Line + 1}, column {ex.Span.Start.Column + 1}: {ex.OriginalMessage}";

    /// <summary>A fresh set per render, so nothing a template assigns leaks into the next one.</summary>
    private static ScriptObject SafeBuiltins(DateTime localNow)
    {
        // Scriban's date.now reads the machine's clock (UTC on a server): a Shanghai rep's morning note was dated the day before.
        var date = new DateTimeFunctions();
        date.Remove("now");
        date.Import("now", new Func<DateTime>(() => localNow));
        var builtins = new ScriptObject(StringComparer.Ordinal);
        builtins.SetValue("string", new StringFunctions(), readOnly: true);
        builtins.SetValue("array", new ArrayFunctions(), readOnly: true);
        builtins.SetValue("math", new MathFunctions(), readOnly: true);
        builtins.SetValue("date", date, readOnly: true);
        return builtins;
    }
}
