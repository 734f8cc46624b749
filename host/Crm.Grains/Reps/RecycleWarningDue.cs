namespace Crm.Grains.Reps;

/// <summary>A warning a sweep decided to send: the customer drops at <see cref="DropsAt"/>, in <see cref="DaysLeft"/> days.</summary>
public sealed record RecycleWarningDue(Guid CustomerId, DateTimeOffset DropsAt, int DaysLeft);
