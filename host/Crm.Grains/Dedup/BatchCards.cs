using Crm.Grains.Common;
using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>
/// The cards a batch's leads are compared with: the leads' own and those fetched from each shard, kept per shard so that
/// no one collection holds tens of thousands (a large-object-heap array per batch).
/// </summary>
internal sealed class BatchCards(IReadOnlyList<BatchLead> leads, int shards)
{
    private readonly Dictionary<Guid, CustomerSnapshot> _leads = LeadsOf(leads);
    private readonly Dictionary<Guid, CustomerSnapshot>?[] _byShard = new Dictionary<Guid, CustomerSnapshot>?[shards];

    public Func<Guid, CustomerSnapshot?> Of => _of ??= Find;

    private Func<Guid, CustomerSnapshot?>? _of;

    public void Add(int shard, IReadOnlyList<LeadCard> cards)
    {
        var held = _byShard[shard] ??= new Dictionary<Guid, CustomerSnapshot>(cards.Count);
        foreach (var card in cards)
        {
            held.TryAdd(Guid.Parse(card.Id), card.ToSnapshot());
        }
    }

    private static Dictionary<Guid, CustomerSnapshot> LeadsOf(IReadOnlyList<BatchLead> leads)
    {
        var cards = new Dictionary<Guid, CustomerSnapshot>(leads.Count);
        foreach (var lead in leads)
        {
            cards[lead.Id] = lead.Card;
        }

        return cards;
    }

    private CustomerSnapshot? Find(Guid id) =>
        _leads.TryGetValue(id, out var lead) ? lead : _byShard[DedupShards.OfCustomer(id, shards)]?.GetValueOrDefault(id);
}
