using Crm.Client;
using Crm.Grains.Notes;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Notes;

/// <summary>What makes a template acceptable: its schema and its body, checked before anything is saved.</summary>
public sealed class NoteTemplateRulesTests
{
    private static Dictionary<string, List<string>> Errors(NoteTemplateRequest request) => NoteTemplateRules.Validate(request, NoteLimits.Default).Errors;

    [Fact]
    public void A_template_with_every_kind_of_question_is_valid()
    {
        var (errors, body) = NoteTemplateRules.Validate(FirstVisit(), NoteLimits.Default);
        Assert.Empty(errors);
        Assert.NotNull(body);
    }

    [Fact]
    public void Schema_mistakes_are_reported_per_question()
    {
        var errors = Errors(Template("{{ a }}",
            new NoteFieldDto("a", "A", NoteFieldType.SingleChoice, []),
            new NoteFieldDto("a", "Again", NoteFieldType.Text),
            new NoteFieldDto("1bad", "Bad key", NoteFieldType.Text),
            new NoteFieldDto("n", "N", NoteFieldType.Number, Min: 10, Max: 1),
            new NoteFieldDto("t", "", NoteFieldType.Text, Options: ["x"]),
            new NoteFieldDto("d", "D", NoteFieldType.Text, NextFollowUp: true),
            new NoteFieldDto("u", "U", null),
            new NoteFieldDto("c", "C", NoteFieldType.MultiChoice, ["x", "x"])));

        Assert.Contains("fields[0].options", errors.Keys);
        Assert.Contains("fields[1].key", errors.Keys);
        Assert.Contains("fields[2].key", errors.Keys);
        Assert.Contains("fields[3].min", errors.Keys);
        Assert.Contains("fields[4].label", errors.Keys);
        Assert.Contains("fields[4].options", errors.Keys);
        Assert.Contains("fields[5].nextFollowUp", errors.Keys);
        Assert.Contains("fields[6].type", errors.Keys);
        Assert.Contains("fields[7].options", errors.Keys);
    }

    [Fact]
    public void A_template_needs_a_name_questions_and_a_body()
    {
        var errors = Errors(new NoteTemplateRequest(" ", [], ""));
        Assert.Equal(["body", "fields", "name"], errors.Keys.Order());
    }

    [Fact]
    public void A_body_that_does_not_parse_is_refused_with_line_and_column()
    {
        var errors = Errors(Template("Budget: {{ budget }}\nMet: {{ if met }}\n{{ budget + }}", Choice("budget", "a"), YesNo("met")));

        var message = Assert.Single(errors["body"].Take(1));
        Assert.StartsWith("line 3, column 13:", message); // where "}}" stands instead of the right operand
    }

    [Fact]
    public void A_body_that_reads_a_question_the_schema_lacks_is_refused_with_its_position()
    {
        var errors = Errors(Template("{{ budget }}\n  {{ budjet | string.upcase }}", Choice("budget", "a")));

        Assert.Equal(["line 2, column 6: 'budjet' is not a field of this template."], errors["body"]);
    }

    [Fact]
    public void Variables_the_body_defines_itself_are_not_mistaken_for_questions()
    {
        var errors = Errors(Template(
            "{{ total = 0 }}{{ for item in interests }}{{ total = total + 1 }}{{ for.index }}{{ end }}{{ func twice(x); ret x * 2; end }}{{ twice total }}{{ capture c }}x{{ end }}{{ c }}",
            Multi("interests", "a", "b")));

        Assert.Empty(errors);
    }

    [Fact]
    public void Member_names_are_not_read_as_variables()
    {
        Assert.Empty(Errors(Template("{{ remarks | string.size }} {{ date.now | date.to_string '%Y' }}", Text("remarks"))));
    }
}
