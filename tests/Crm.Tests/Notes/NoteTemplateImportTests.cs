using Crm.Grains.Notes;
using Crm.Plugins.Standard.Notes;
using Crm.Sdk;

namespace Crm.Tests.Notes;

/// <summary>How a plugin's template becomes a manager's template request: above all, which question sets the next follow-up.</summary>
public sealed class NoteTemplateImportTests
{
    private static NoteTemplateDefinition Template(params NoteFieldDefinition[] fields) =>
        new() { Id = "t", Name = "T", Fields = fields, Body = "x" };

    private static NoteFieldDefinition Field(string key, NoteFieldType type, bool sets = false) =>
        new() { Key = key, Label = key, Type = type, SetsNextFollowUp = sets };

    private static bool[] Flags(NoteTemplateDefinition template) =>
        NoteTemplateImport.ToRequest(template, null).Fields!.Select(f => f.NextFollowUp).ToArray();

    [Fact]
    public void A_template_whose_fields_or_options_a_plugin_left_null_is_named_unreadable_not_thrown_on()
    {
        var fine = Template(Field("remarks", NoteFieldType.Text));

        Assert.Null(NoteTemplateImport.Unreadable(fine));
        Assert.Contains("no field list", NoteTemplateImport.Unreadable(fine with { Fields = null! }));
        Assert.Contains("Field 2", NoteTemplateImport.Unreadable(Template(Field("remarks", NoteFieldType.Text), null!)));
        Assert.Contains("'kind'", NoteTemplateImport.Unreadable(Template(Field("kind", NoteFieldType.SingleChoice) with { Options = null! })));
    }

    [Fact]
    public void The_flag_marks_the_next_follow_up_whatever_the_key()
    {
        var template = Template(Field("visit_again_on", NoteFieldType.Date, sets: true), Field("remarks", NoteFieldType.Text));

        Assert.Equal([true, false], Flags(template));
        Assert.Empty(NoteTemplateRules.Validate(NoteTemplateImport.ToRequest(template with { Body = "{{ remarks }}" }, null), NoteLimits.Default).Errors);
    }

    [Fact]
    public void A_date_keyed_next_follow_up_of_a_plugin_built_before_the_flag_still_counts()
    {
        Assert.Equal([true, false], Flags(Template(Field("next_follow_up", NoteFieldType.Date), Field("other", NoteFieldType.Date))));
        Assert.Equal([false], Flags(Template(Field("next_follow_up", NoteFieldType.Text))));
    }

    [Fact]
    public void The_old_key_gives_way_to_a_flagged_question()
    {
        Assert.Equal([false, true], Flags(Template(Field("next_follow_up", NoteFieldType.Date), Field("callback", NoteFieldType.Date, sets: true))));
    }

    [Fact]
    public void The_SDK_and_client_field_types_are_one_list_mapped_by_name()
    {
        Assert.Equal(Enum.GetNames<NoteFieldType>(), Enum.GetNames<Crm.Client.NoteFieldType>());
        Assert.All(Enum.GetValues<NoteFieldType>(), t => Assert.Equal(t.ToString(), NoteTemplateImport.ToClient(t).ToString()));
        Assert.Null(NoteTemplateImport.ToClient((NoteFieldType)99));
    }

    [Fact]
    public void Every_standard_template_flags_exactly_one_date_question()
    {
        var templates = new StandardNoteTemplates().Templates().ToList();

        Assert.Equal(8, templates.Count);
        Assert.All(templates, t =>
        {
            var flagged = Assert.Single(t.Fields, f => f.SetsNextFollowUp);
            Assert.Equal(NoteFieldType.Date, flagged.Type);
            Assert.Single(NoteTemplateImport.ToRequest(t, null).Fields!, f => f.NextFollowUp);
        });
    }
}
