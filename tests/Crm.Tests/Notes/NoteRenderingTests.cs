using Crm.Client;
using Crm.Grains.Notes;
using static Crm.Tests.Notes.NoteTemplateBuilder;

namespace Crm.Tests.Notes;

/// <summary>Answers checked against the schema and rendered in the sandbox.</summary>
public sealed class NoteRenderingTests
{
    private static readonly DateTime SomeMorning = new(2026, 3, 2, 7, 30, 0);

    /// <summary>date.now is the local time the server hands the renderer, not the machine's clock.</summary>
    [Fact]
    public async Task Date_now_is_the_writers_local_time_given_to_the_renderer()
    {
        var (compiled, errors) = NoteBodyCompiler.Compile("Visited {{ date.now | date.to_string '%F %R' }}", []);
        Assert.Empty(errors);

        var rendered = await NoteRenderer.RenderAsync(compiled!, new Dictionary<string, object?>(), NoteLimits.Default, new DateTime(2031, 11, 5, 6, 45, 0));

        Assert.True(rendered.Ok, rendered.Error);
        Assert.Equal("Visited 2031-11-05 06:45", rendered.Text);
    }

    private static async Task<NoteRenderResult> RenderAsync(NoteTemplateRequest template, object answers, NoteLimits? limits = null)
    {
        var (errors, body) = NoteTemplateRules.Validate(template, NoteLimits.Default);
        Assert.Empty(errors);
        var (checkedAnswers, answerErrors) = NoteAnswerValidator.Validate(template.Fields!, Answers(answers));
        Assert.Empty(answerErrors);
        return await NoteRenderer.RenderAsync(body!, checkedAnswers!.Values, limits ?? NoteLimits.Default, SomeMorning);
    }

    [Fact]
    public async Task Every_kind_of_answer_renders()
    {
        var rendered = await RenderAsync(FirstVisit(), new
        {
            budget = "100k-500k",
            met_decision_maker = true,
            interests = new[] { "CRM", "BI" },
            headcount = 45,
            next_follow_up = "2026-03-09",
            remarks = "Wants a demo for the board",
        });

        Assert.True(rendered.Ok, rendered.Error);
        Assert.Contains("Budget: 100k-500k", rendered.Text);
        Assert.Contains("Decision maker met: yes", rendered.Text);
        Assert.Contains("Interested in: CRM, BI", rendered.Text);
        Assert.Contains("Team of 45", rendered.Text);
        Assert.Contains("Next visit: 2026-03-09", rendered.Text);
        Assert.Contains("Wants a demo for the board", rendered.Text);
    }

    [Fact]
    public async Task Unanswered_optional_questions_render_as_nothing()
    {
        var rendered = await RenderAsync(FirstVisit(), new { budget = "<100k", met_decision_maker = false });

        Assert.True(rendered.Ok, rendered.Error);
        Assert.Contains("Decision maker met: no", rendered.Text);
        Assert.DoesNotContain("Interested in", rendered.Text);
        Assert.DoesNotContain("Next visit", rendered.Text);
    }

    [Fact]
    public async Task Chinese_labels_options_and_text_render_unchanged()
    {
        var template = new NoteTemplateRequest("首次拜访",
            [new("yusuan", "预算范围", NoteFieldType.SingleChoice, ["10万以下", "10万-50万", "50万以上"]), YesNo("jianmian")],
            "预算：{{ yusuan }}，{{ jianmian ? \"已见到决策人\" : \"未见到决策人\" }}。", Language: "zh");

        var rendered = await RenderAsync(template, new { yusuan = "10万-50万", jianmian = true });

        Assert.Equal("预算：10万-50万，已见到决策人。", rendered.Text);
    }

    [Fact]
    public void Answers_are_checked_per_question()
    {
        var (answers, errors) = NoteAnswerValidator.Validate(FirstVisit().Fields!, Answers(new
        {
            met_decision_maker = "yes",
            interests = new[] { "CRM", "Cloud" },
            headcount = 0,
            next_follow_up = "09/03/2026",
            remarks = new string('x', 3000),
            colour = "red",
        }));

        Assert.Null(answers);
        Assert.Equal(
            ["answers.budget", "answers.colour", "answers.headcount", "answers.interests", "answers.met_decision_maker", "answers.next_follow_up", "answers.remarks"],
            errors.Keys.Order());
    }

    [Fact]
    public void A_text_answer_keeps_its_lines_and_loses_the_control_characters_pasted_with_it()
    {
        var (answers, errors) = NoteAnswerValidator.Validate(FirstVisit().Fields!, Answers(new
        {
            budget = ">500k", met_decision_maker = true, remarks = "\u0007Met Mr. Li\r\nagain next\u0000 week ",
        }));

        Assert.Empty(errors);
        Assert.Equal("Met Mr. Li\nagain next week", answers!.Values["remarks"]);
        Assert.Contains("Met Mr. Li\\nagain next week", answers.Json);
    }

    [Fact]
    public void Choices_and_yes_no_answers_are_countable_and_the_follow_up_date_is_picked_up()
    {
        var (answers, _) = NoteAnswerValidator.Validate(FirstVisit().Fields!, Answers(new
        {
            budget = ">500k", met_decision_maker = false, interests = new[] { "ERP", "CRM" }, next_follow_up = "2026-04-01",
        }));

        Assert.Equal(
            [new NoteChoice("budget", ">500k"), new NoteChoice("met_decision_maker", "no"), new NoteChoice("interests", "ERP"), new NoteChoice("interests", "CRM")],
            answers!.Choices);
        Assert.Equal(new DateOnly(2026, 4, 1), answers.NextFollowUp);
    }

    [Theory]
    [InlineData("{{ while true }}x{{ end }}", "iteration limit")]
    [InlineData("{{ for i in 1..100000000 }}{{ i }}{{ end }}", "LoopLimit")]
    [InlineData("{{ func f; f; end; f }}", "recursive depth limit")]
    [InlineData("{{ for i in 1..900 }}{{ remarks }}{{ remarks }}{{ remarks }}{{ end }}", "output")]
    [InlineData("{{ remarks * 100000000 }}", "LimitToString")]
    [InlineData("{{ remarks | string.pad_left 100000000 }}", "LimitToString")]
    [InlineData("{{ remarks.GetType }}", "Cannot get member")]
    [InlineData("{{ remarks.Length }}", "Cannot get member")]
    [InlineData("{{ date.now.Ticks }}", "Cannot get member")]
    [InlineData("{{ include 'appsettings.json' }}", "not found")]
    [InlineData("{{ object.typeof remarks }}", "null")]
    [InlineData("{{ x = {}; x.self = x; x }}", "nested")]
    public async Task A_hostile_template_is_stopped_with_a_clear_error(string body, string expected)
    {
        var template = Template(body, Text("remarks"));
        var (compiled, errors) = NoteBodyCompiler.Compile(template.Body!, ["remarks", "x", "f", "i", "object", "include"]);
        Assert.Empty(errors);
        var (answers, _) = NoteAnswerValidator.Validate(template.Fields!, Answers(new { remarks = new string('r', 20) }));

        var rendered = await NoteRenderer.RenderAsync(compiled!, answers!.Values, NoteLimits.Default, SomeMorning);

        // Each case names the limit that stopped it; one that ran into the render's time limit would say "ran longer than".
        Assert.False(rendered.Ok, $"rendered: {rendered.Text?[..Math.Min(100, rendered.Text.Length)]}");
        Assert.Contains(expected, rendered.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_render_that_runs_past_its_time_is_cancelled()
    {
        var (compiled, _) = NoteBodyCompiler.Compile("{{ while true }}{{ end }}", []);
        var limits = NoteLimits.Default with { LoopLimit = 0, Timeout = TimeSpan.FromMilliseconds(200) };

        var rendered = await NoteRenderer.RenderAsync(compiled!, new Dictionary<string, object?>(), limits, SomeMorning);

        Assert.False(rendered.Ok);
        Assert.Contains("ran longer than 200 ms", rendered.Error);
    }

    [Fact]
    public void A_body_nested_deeper_than_the_parser_allows_is_refused_not_overflowing_the_stack()
    {
        var (_, errors) = NoteBodyCompiler.Compile("{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}", []);

        Assert.Contains("depth limit", Assert.Single(errors).Message);
    }
}
