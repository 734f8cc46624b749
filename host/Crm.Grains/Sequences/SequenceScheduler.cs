using Crm.Grains.Calendars;

namespace Crm.Grains.Sequences;

/// <summary>
/// Dates the steps of a rep's newly enrolled customers on the working days of the rep's calendar. A step is never
/// before its day (its day counted in working days from the enrolment date), always after the customer's previous
/// step, and on a day where the rep has fewer than the cap of steps (counting what is already planned): a full day
/// pushes the step to the next working day with room.
/// </summary>
public static class SequenceScheduler
{
    private const int MaxDaysAhead = 3660;

    public sealed record Dated(Guid CustomerId, int StepIndex, DateOnly Date);

    /// <param name="load">Steps the rep already has per day; updated with what this plan adds.</param>
    public static IReadOnlyList<Dated> Plan(IReadOnlyList<Guid> customers, IReadOnlyList<int> stepDays, DateOnly enrolledOn,
        WorkCalendar calendar, int cap, Dictionary<DateOnly, int> load)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var dated = new List<Dated>(customers.Count * stepDays.Count);
        foreach (var customer in customers)
        {
            DateOnly? previous = null;
            for (var step = 0; step < stepDays.Count; step++)
            {
                var day = calendar.AddWorkingDays(enrolledOn, stepDays[step]);
                if (previous is { } p && day <= p)
                {
                    day = calendar.AddWorkingDays(p, 1);
                }

                for (var tries = 0; load.GetValueOrDefault(day) >= cap; tries++)
                {
                    if (tries > MaxDaysAhead)
                    {
                        throw new InvalidOperationException("No working day with room within ten years.");
                    }

                    day = calendar.AddWorkingDays(day, 1);
                }

                load[day] = load.GetValueOrDefault(day) + 1;
                dated.Add(new Dated(customer, step, day));
                previous = day;
            }
        }

        return dated;
    }
}
