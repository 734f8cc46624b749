using Crm.Sdk;

namespace Crm.Plugins.Standard.Notes;

/// <summary>Short constructors for the questions of the standard templates.</summary>
internal static class NoteFields
{
    /// <summary>The key of the next follow-up date: the variable the bodies print.</summary>
    public const string NextFollowUp = "next_follow_up";

    public static NoteFieldDefinition Single(string key, string label, bool required, params string[] options) =>
        new() { Key = key, Label = label, Type = NoteFieldType.SingleChoice, Required = required, Options = options };

    public static NoteFieldDefinition Multi(string key, string label, params string[] options) =>
        new() { Key = key, Label = label, Type = NoteFieldType.MultiChoice, Options = options };

    public static NoteFieldDefinition YesNo(string key, string label, bool required = true) =>
        new() { Key = key, Label = label, Type = NoteFieldType.YesNo, Required = required };

    public static NoteFieldDefinition Number(string key, string label, double min, double max, string? help = null) =>
        new() { Key = key, Label = label, Type = NoteFieldType.Number, Min = min, Max = max, Help = help };

    /// <summary>The date question whose answer becomes the customer's next follow-up date.</summary>
    public static NoteFieldDefinition NextFollowUpDate(string label) =>
        new() { Key = NextFollowUp, Label = label, Type = NoteFieldType.Date, SetsNextFollowUp = true };

    public static NoteFieldDefinition Text(string key, string label, string? help = null) =>
        new() { Key = key, Label = label, Type = NoteFieldType.Text, Help = help };
}
