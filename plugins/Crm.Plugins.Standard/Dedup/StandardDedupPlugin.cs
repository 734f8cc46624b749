using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>Registers the standard dedup strategies: <c>identity-keys</c> and <c>company-name</c>.</summary>
public sealed class StandardDedupPlugin : ICrmPlugin
{
    public string Name => "Crm.Standard.Dedup";

    public void Register(IPluginRegistry registry)
    {
        var settings = DedupSettings.FromEnvironment();
        var identity = new IdentityKeysStrategy(settings);
        var names = new CompanyNameStrategy(settings);
        Warm(identity, names);
        registry.AddDedupStrategy(identity);
        registry.AddDedupStrategy(names);
    }

    /// <summary>
    /// Loads what the first calls would otherwise load under their time budget: libphonenumber's metadata (half a
    /// second on a busy machine), the division, character and pinyin tables, and the code paths of both strategies.
    /// </summary>
    private static void Warm(IdentityKeysStrategy identity, CompanyNameStrategy names)
    {
        var chinese = new CustomerSnapshot { Id = "warm-1", Name = "王", Company = "衢州市明遠科技有限公司", Phone = "13800138000", TaxId = "ИНН 7707083893", Address = "浙江省衢州市柯城区人民路1号" };
        var latin = new CustomerSnapshot { Id = "warm-2", Name = "Li", Company = "Quzhou Mingyuan Tech Co., Ltd.", Email = "a@b.cn", Address = "1 Renmin Rd" };
        var russian = new CustomerSnapshot { Id = "warm-3", Name = "Иван", Company = "ООО «Ромашка»", Phone = "+7 495 123-45-67" };
        foreach (var (a, b) in new[] { (chinese, latin), (latin, russian), (russian, chinese) })
        {
            _ = identity.Keys(a).Count() + names.Keys(a).Count();
            _ = identity.Compare(a, b);
            _ = names.Compare(a, b);
        }
    }
}
