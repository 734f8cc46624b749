using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace Crm.Grains.Notes;

/// <summary>
/// Parses a note body and checks that every variable it reads is a field of the schema, a variable the body
/// defines itself (assignment, loop variable, function, parameter) or one of the safe functions.
/// </summary>
public static class NoteBodyCompiler
{
    private static readonly ParserOptions Parser = new() { ExpressionDepthLimit = 100 };

    /// <summary>Names the body may read without defining them: the sandbox's function objects and Scriban's loop objects.</summary>
    public static readonly IReadOnlySet<string> Builtins = new HashSet<string>(StringComparer.Ordinal)
    {
        "string", "array", "math", "date", "for", "while", "tablerow", "empty", "blank", "this",
    };

    public static (Template? Template, IReadOnlyList<NoteBodyError> Errors) Compile(string body, IEnumerable<string> fieldKeys)
    {
        var template = Template.Parse(body, parserOptions: Parser);
        if (template.HasErrors)
        {
            var errors = template.Messages.Where(m => m.Type == ParserMessageType.Error)
                .Select(m => new NoteBodyError(m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message))
                .DistinctBy(e => (e.Line, e.Column))
                .ToList();
            return (null, errors);
        }

        var reads = new List<ScriptVariable>();
        var defined = new HashSet<string>(fieldKeys, StringComparer.Ordinal);
        defined.UnionWith(Builtins);
        Walk(template.Page, parent: null, reads, defined);
        var unknown = reads.Where(v => !defined.Contains(v.Name))
            .Select(v => new NoteBodyError(v.Span.Start.Line + 1, v.Span.Start.Column + 1,
                $"'{v.Name}' is not a field of this template."))
            .ToList();
        return unknown.Count == 0 ? (template, []) : (null, unknown);
    }

    private static void Walk(ScriptNode? node, ScriptNode? parent, List<ScriptVariable> reads, HashSet<string> defined)
    {
        if (node is null)
        {
            return;
        }

        switch (node)
        {
            case ScriptAssignExpression { Target: ScriptVariableGlobal target }:
                defined.Add(target.Name);
                break;
            case ScriptForStatement { Variable: ScriptVariableGlobal loop }:
                defined.Add(loop.Name);
                break;
            case ScriptFunction { NameOrDoToken: ScriptVariableGlobal name }:
                defined.Add(name.Name);
                break;
            case ScriptParameter { Name: ScriptVariableGlobal parameter }:
                defined.Add(parameter.Name);
                break;
            case ScriptCaptureStatement { Target: ScriptVariableGlobal captured }:
                defined.Add(captured.Name);
                break;
            case ScriptVariableGlobal variable when !IsMemberName(variable, parent):
                reads.Add(variable);
                break;
        }

        for (var i = 0; i < node.ChildrenCount; i++)
        {
            Walk(node.GetChildren(i), node, reads, defined);
        }
    }

    /// <summary>In <c>a.b</c> only <c>a</c> is a variable; <c>b</c> is a member name.</summary>
    private static bool IsMemberName(ScriptVariableGlobal variable, ScriptNode? parent) =>
        parent is ScriptMemberExpression member && ReferenceEquals(member.Member, variable);
}
