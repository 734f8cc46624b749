using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Notifications;

/// <summary>The message center's retention (section <c>Crm:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Crm:Notifications";

    /// <summary>How long a stored notification is kept, read or not; a client away longer resumes from what is left.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often each silo deletes what is past retention (the clock's time, so a test's fake clock drives it).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CleanupEvery { get; set; } = TimeSpan.FromHours(6);
}
