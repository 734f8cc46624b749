namespace Crm.Grains.Morning;

/// <summary>
/// One org unit's morning tasks (key: org unit id): runs once per working day of the unit's calendar, once its working
/// morning has come. Every silo's <see cref="MorningSweep"/> knocks; the grain runs one call at a time and remembers the
/// day it did, and what it makes is idempotent anyway (<see cref="MorningTaskGenerator"/>).
/// </summary>
public interface IMorningGrain : IGrainWithStringKey
{
    /// <summary>Makes this morning's tasks if the unit's working morning has come and they are not made yet today.</summary>
    Task<MorningReport> Run();
}
