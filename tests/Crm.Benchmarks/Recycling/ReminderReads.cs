using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Crm.Benchmarks.Recycling;

/// <summary>
/// Counts the reminder service's reads of its ranges of the reminder table (the periodic refresh and the reads after a
/// ring change) and the rows they returned, by wrapping the silo's <see cref="IReminderTable"/>. Lets the benchmark say
/// which simulated minutes read the table, so their CPU can be told from the others'.
/// </summary>
public sealed class ReminderReads
{
    private long _reads;
    private long _rows;

    public long Reads => Interlocked.Read(ref _reads);

    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Replaces the silo's reminder table registration (made by the silo setup) with a counting wrapper around it.</summary>
    public void Wrap(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(original);
        services.AddSingleton<IReminderTable>(provider => new Counting(Create(provider, original), this));
    }

    private static IReminderTable Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IReminderTable
        ?? descriptor.ImplementationFactory?.Invoke(provider) as IReminderTable
        ?? (IReminderTable)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);

    private sealed class Counting(IReminderTable inner, ReminderReads counts) : IReminderTable
    {
        public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

        public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

        public async Task<ReminderTableData> ReadRows(uint begin, uint end)
        {
            var data = await inner.ReadRows(begin, end);
            Interlocked.Increment(ref counts._reads);
            Interlocked.Add(ref counts._rows, data.Reminders.Count);
            return data;
        }

        public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

        public Task<string?> UpsertRow(ReminderEntry entry) => inner.UpsertRow(entry);

        public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

        public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
    }
}
