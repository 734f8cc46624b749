namespace Crm.Sdk;

/// <summary>The kind of answer a note field takes.</summary>
public enum NoteFieldType
{
    /// <summary>Free text.</summary>
    Text = 0,

    /// <summary>Exactly one of the options.</summary>
    SingleChoice = 1,

    /// <summary>Any number of the options.</summary>
    MultiChoice = 2,

    /// <summary>A number, optionally within min and max.</summary>
    Number = 3,

    /// <summary>A calendar date.</summary>
    Date = 4,

    /// <summary>Yes or no.</summary>
    YesNo = 5,
}
