using System.Data.Common;

namespace Crm.Grains.Storage;

/// <summary>
/// A kind whose items are lists of another kind's items. A list is one write, so it is never split between transactions
/// (stored all or none), where the inner kind's own items may be.
/// </summary>
public sealed class ListWrites<TItem>(ISqlBulkWrite<TItem, bool> inner) : ISqlBulkWrite<IReadOnlyList<TItem>, bool>
{
    public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<IReadOnlyList<TItem>> items)
    {
        foreach (var list in items)
        {
            inner.Execute(sql, transaction, list);
        }

        return new bool[items.Count];
    }
}
