using Crm.Grains.Contracts;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers;
using Crm.Grains.Deals;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Grains.Visits;

namespace Crm.Tests.Storage;

/// <summary>
/// The values of the committed stored-state fixtures (tests/Crm.Tests/Fixtures/*-v1.bin): every stored member set, and
/// set apart from its neighbours of the same type, so that a member read under another id shows. These are v1's values
/// for good: a member added later is not given a value here (the v1 bytes cannot hold it) but in a fixture of its own.
/// </summary>
public static class StoredStateSamples
{
    public static readonly Guid Merged1 = new("0b7c2d4e-1f20-4a51-8c63-7d94e5a6b7c8");
    public static readonly Guid Merged2 = new("1c8d3e5f-2031-4b62-9d74-8ea5f6b7c8d9");
    public static readonly Guid Flagged1 = new("2d9e4f60-3142-4c73-ae85-9fb607c8d9ea");
    public static readonly Guid Flagged2 = new("3eaf5071-4253-4d84-bf96-a0c718d9eafb");
    public static readonly Guid Survivor = new("4fb06182-5364-4e95-80a7-b1d829eafb0c");
    public static readonly Guid FollowUpRequest = new("50c17293-6475-4fa6-91b8-c2e93afb0c1d");
    public static readonly Guid OwnedHere = new("61d283a4-7586-40b7-a2c9-d3fa4b0c1d2e");
    public static readonly Guid OwnedMoscow = new("72e394b5-8697-41c8-b3da-e40b5c1d2e3f");
    public static readonly Guid CaseCustomer = new("83f4a5c6-97a8-42d9-84eb-f51c6d2e3f40");

    /// <summary>A time in Shanghai (UTC+8) in March 2026; the offset is stored with it.</summary>
    public static DateTimeOffset Shanghai(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>A time in Moscow (UTC+3) in March 2026.</summary>
    public static DateTimeOffset Moscow(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(3));

    public static CustomerState Customer()
    {
        var state = new CustomerState
        {
            Exists = true,
            Profile = new CustomerProfile("王伟", "杭州联合科技有限公司", "+86 138 0571 2046", "wang.wei@lianhe-tech.cn",
                "91330106MA2H7XK12Q", "浙江省杭州市西湖区文三路 259 号 8 楼", "2026 上海工博会 展位 3H-118"),
            Stage = CustomerStage.Opportunity,
            PoolId = "pool-east-china",
            OrgUnitId = "unit-east-china",
            CreatedAt = Shanghai(2, 9, 5),
            LastFollowUpAt = Shanghai(6, 16, 40),
            LastDealAt = Shanghai(5, 11, 20),
            Version = 42,
            Traits = new LeadTraits("机械制造", "华东", "zh-CN"),
            RegionUnitId = "unit-hangzhou",
            DedupKeys = ["m:8613805712046", "e:wang.wei@lianhe-tech.cn", "t:91330106MA2H7XK12Q", "c:杭州联合科技"],
            MergedInto = Survivor,
            OwnerBeforeMerge = "ivanov.rep",
            Location = new CustomerLocation(30.2799, 120.1227, "geocoder:amap", 850.5, Shanghai(2, 9, 6)),
            LastVisitAt = Shanghai(4, 14, 30),
            CustomFields = new Dictionary<string, CustomValue>(StringComparer.Ordinal)
            {
                ["budget"] = new(Number: 1_250_000.50m),
                ["decision-maker"] = new(Text: "采购部 张经理"),
                ["next-visit"] = new(Date: new DateOnly(2026, 4, 15)),
                ["products"] = new(Choices: ["数控机床", "激光切割机"]),
            },
            Level = "B",
            LevelByHand = true,
        };
        state.RememberOwnership("claimed", "ivanov.rep", Moscow(2, 10, 0));
        state.LetGo("released", "ivanov.rep", Moscow(3, 12, 15), Moscow(3, 12, 15).AddDays(14), Moscow(3, 12, 15).AddHours(12));
        state.RememberOwnership("claimed", "li.rep", Shanghai(4, 9, 30));
        state.OwnerId = "li.rep";
        state.OwnedSince = Shanghai(4, 9, 30);
        state.CoolDownUntil = Shanghai(3, 22, 15);
        state.UpdatedAt = Shanghai(6, 16, 41);
        state.FlagDuplicate(Flagged1);
        state.FlagDuplicate(Flagged2);
        state.LinkMerged([Merged1, Merged2]);
        state.RememberNote(new RecentNote("note-first-visit-zh-0001", 38, Shanghai(4, 15, 2)));
        state.RememberNote(new RecentNote("note-первый-визит-0002", 40, Moscow(5, 9, 45)));
        state.PutDeal(OpenDeal());
        state.PutDeal(LostDeal());
        state.CheckIn(new OpenVisit("visit-0007", "li.rep", Shanghai(6, 14, 0), new GeoPoint(30.2801, 120.1231)));
        state.PutContract(Contract());
        state.RememberFollowUp(new RecentRequest(FollowUpRequest, 41, Shanghai(6, 16, 40)));
        return state;
    }

    public static RepState Rep() => new()
    {
        Owned = new Dictionary<Guid, OwnedCustomer>
        {
            [OwnedHere] = new(OwnedHere, "pool-east-china", Shanghai(4, 9, 30),
                new RecycleFacts(Shanghai(4, 9, 30), Shanghai(6, 16, 40), Shanghai(5, 11, 20), CustomerStage.Customer, 17, Shanghai(4, 14, 30), "A", true),
                [7, 3, 1], Shanghai(20, 9, 30), 1_772_588_000_123),
            [OwnedMoscow] = new(OwnedMoscow, "pool-moscow", Moscow(5, 10, 0)),
        },
        ClaimsToday = new Dictionary<string, int> { ["pool-east-china"] = 3, ["pool-moscow"] = 1 },
        ClaimDay = new DateOnly(2026, 3, 6),
    };

    public static PoolState Pool() => new()
    {
        Exists = true,
        Name = "华东公海 · Восточный Китай",
        OrgUnitId = "unit-east-china",
        Rules = new PoolRuleSet
        {
            RecycleAfterDaysWithoutFollowUp = 15,
            RecycleAfterDaysWithoutDeal = 45,
            RecycleAfterDaysWithoutVisit = 30,
            WarnDaysBefore = [3, 1],
            ReclaimProtectionDays = 14,
            CapacityPerRep = 200,
            ClaimsPerRepPerDay = 30,
            CapacityOverrides = new Dictionary<string, int> { ["li.rep"] = 300, ["ivanov.rep"] = 120 },
            ExemptCustomers = true,
            CoolDownHours = 12,
            CollusionWindowHours = 36,
            PingPongDays = 90,
            Assignment = new AssignmentSettings("weighted", new Dictionary<string, string> { ["weights"] = "li.rep:2,ivanov.rep:1" }, "batch", "least-loaded", 30),
            Dedup = new DedupPolicy(["identity-keys", "company-name"], "flag") { Actions = new Dictionary<string, string> { ["exact"] = "block", ["weak"] = "allow" } },
            RecycleToPoolId = "pool-recycled",
            ByLevel = new Dictionary<string, LevelRecycleRule>
            {
                ["A"] = new() { RecycleAfterDaysWithoutFollowUp = 60, RecycleAfterDaysWithoutDeal = 180, RecycleAfterDaysWithoutVisit = 90, Exempt = true, RecycleToPoolId = "pool-key-accounts" },
                ["E"] = new() { RecycleAfterDaysWithoutFollowUp = 7 },
            },
        },
        CreatedAt = Shanghai(1, 8, 0),
        Version = 9,
        Members = ["li.rep", "wang.rep", "ivanov.rep"],
        CollusionCases =
        [
            new CollusionCase("quick-handover", CaseCustomer, "ivanov.rep", "li.rep", Shanghai(4, 9, 31),
                [new CollusionStep("released", "ivanov.rep", Moscow(3, 12, 15)), new CollusionStep("claimed", "li.rep", Shanghai(4, 9, 30))]),
        ],
    };

    private static DealRecord OpenDeal() => new()
    {
        Id = "deal-0001",
        Title = "数控机床 CK6150 × 12 台",
        Amount = 1_188_000.00m,
        Currency = "CNY",
        RepId = "li.rep",
        RepUnitId = "unit-hangzhou",
        PipelineId = "pipeline-machinery",
        StageKey = "negotiation",
        Probability = 60,
        Status = DealStatus.Open,
        ExpectedClose = new DateOnly(2026, 5, 31),
        CreatedAt = Shanghai(5, 11, 20),
        UpdatedAt = Shanghai(6, 10, 5),
        Version = 39,
        CustomFields = new Dictionary<string, CustomValue>(StringComparer.Ordinal) { ["delivery"] = new(Text: "FOB 上海") },
    };

    private static DealRecord LostDeal() => new()
    {
        Id = "deal-0002",
        Title = "Лазерный станок для филиала в Казани",
        Amount = 4_350_000.75m,
        Currency = "RUB",
        RepId = "ivanov.rep",
        RepUnitId = "unit-moscow",
        PipelineId = "pipeline-export",
        StageKey = "closed-lost",
        Probability = 0,
        Status = DealStatus.Lost,
        CreatedAt = Moscow(2, 11, 0),
        UpdatedAt = Moscow(3, 12, 10),
        ClosedAt = Moscow(3, 12, 10),
        LoseReason = "Клиент выбрал другого поставщика",
        Version = 12,
    };

    private static ContractRecord Contract() => new()
    {
        Id = "contract-0001",
        DealId = "deal-0001",
        Number = "HT-2026-0317",
        Amount = 1_188_000.00m,
        Currency = "CNY",
        SignedAt = Shanghai(6, 15, 0),
        RepId = "li.rep",
        RepUnitId = "unit-hangzhou",
        Instalments =
        [
            new() { No = 1, DueDate = new DateOnly(2026, 3, 20), Amount = 356_400.00m, Paid = 356_400.00m, OverdueAt = Shanghai(21, 0, 0) },
            new() { No = 2, DueDate = new DateOnly(2026, 4, 20), Amount = 831_600.00m, Paid = 100_000.00m, OverdueAt = new DateTimeOffset(2026, 4, 21, 0, 0, 0, TimeSpan.FromHours(8)), OverdueRaised = true },
        ],
        Paid = 456_400.00m,
        CreatedAt = Shanghai(6, 15, 1),
        UpdatedAt = Shanghai(6, 15, 30),
        Version = 41,
    };
}
