namespace Crm.Grains.Morning;

/// <summary>
/// Why an owner gets a task this morning. <see cref="Key"/> names the reason itself (an overdue instalment, one recycle
/// deadline, one year's occasion), so the same reason found again, the same morning or a later one, is the same task.
/// </summary>
public sealed record MorningReason(string Key, string RepId, Guid CustomerId, string Kind, string Title, string Notes);
