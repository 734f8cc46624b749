namespace Crm.Grains.Deals;

/// <summary>A deal status as the read model and queries spell it.</summary>
public static class DealStatusNames
{
    public static string Of(DealStatus status) => status switch
    {
        DealStatus.Won => "won",
        DealStatus.Lost => "lost",
        _ => "open",
    };
}
