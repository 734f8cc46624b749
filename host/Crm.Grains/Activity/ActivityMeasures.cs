namespace Crm.Grains.Activity;

/// <summary>What <c>rep_day_activity.measure</c> holds (see 72-rep-activity.sql).</summary>
public static class ActivityMeasures
{
    public const string Entered = "entered";
    public const string Moved = "moved";
    public const string Won = "won";
    public const string Lost = "lost";
    public const string Declined = "declined";
    public const string FollowUp = "followUp";
    public const string CheckIn = "checkIn";
    public const string Note = "note";
}
