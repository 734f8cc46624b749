namespace Crm.TestPlugins.MissingDependency.Helper;

public static class PricingRules
{
    public static string Describe() => "pricing rules";
}
