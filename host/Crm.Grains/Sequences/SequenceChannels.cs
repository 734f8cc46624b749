using Crm.Client;

namespace Crm.Grains.Sequences;

/// <summary>The channels of a step and the follow-up each records when the rep marks the step done.</summary>
public static class SequenceChannels
{
    public const string WeChat = "wechat";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Call = "call";
    public const string Visit = "visit";

    public static readonly IReadOnlyList<string> All = [WeChat, Sms, Email, Call, Visit];

    public static FollowUpType FollowUpOf(string channel) => channel switch
    {
        Email => FollowUpType.Email,
        Call => FollowUpType.Call,
        Visit => FollowUpType.Visit,
        _ => FollowUpType.Message,
    };
}
