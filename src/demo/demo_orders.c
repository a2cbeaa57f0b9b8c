/*
 * demo_orders.c - a year of the Mingshui demo's work orders, simulated through
 * the work-order engine so that every figure comes from stored events.
 *
 * The story (DOMAIN.md, the article): complaints reaching the 12345 hotline fell
 * from 1,500+ to 700+ a month once the 75 courtyard branches handled requests
 * locally (小事不出院落，矛盾不出社区).  So, month by month:
 *   - the hotline's volume follows a smooth decline from about 1,530 to about
 *     720 (with a little noise), and local intake (grid members, couriers and
 *     riders, residents on the web, phone calls and walk-ins at the community)
 *     rises from about 200 to about 820, so that total demand stays plausible
 *     (a little lower at the end: problems settled early do not come back);
 *   - each courtyard branch gets going in its own month (the article's named
 *     courtyards first), after which its residents ask it rather than the
 *     hotline, and the desk sends it what it can settle;
 *   - returns, late replies, dissatisfied callbacks and escalations grow rarer
 *     and satisfaction better as the year goes on.
 * Categories follow the seasons (heating in winter, leaking roofs and drains in
 * the rainy season, square dancing from spring to autumn, fireworks at the
 * Spring Festival); places are real nodes of the demo's tree, more of them in
 * the bigger courtyards; callers are the demo's residents, with their phones.
 *
 * How.  A discrete-event simulation in time order: every order is an agent that
 * wakes at its next planned moment, reads its order (wo_get) and takes the next
 * step of its plan through wo_transition(), dated (wo_action.at), as the demo
 * account that would take it (the subdistrict's desk, 龙泉社区's staff, the
 * 君临天下 secretary, the grid member and the rider) or, where the demo has no
 * account, as the system.  Every simulated day at 08:00 the real sweeper
 * (tn_sweep) runs at that instant, so yellow and red cards and automatic
 * escalations come from the configured rules, not from this file.  A plan only
 * ever asks for what the state machine allows at that moment (it mirrors the
 * rules that depend on time: return window, extension before the deadline,
 * supervision when overdue), so a refusal is a bug in the plan: it stops the
 * load, and the caller's transaction takes everything back.
 *
 * Cost.  About 21,000 orders and 143,000 events: some 35 s of one core, nearly
 * all of it the engine's writes (the order row and its indexes, the search
 * index, the figures' rollups kept by stats_on_write()); the simulation reads
 * each order once per step and keeps the tree and the residents in memory.
 *
 * Determinism.  The plan of every order (place, category, caller, text, the
 * delays and turns of its handling) is drawn from a stream of its own, seeded
 * from a fixed seed and the order's index, and the months' volumes from
 * another: so the data before any instant do not depend on when the
 * simulation stops, and two loads with the same until are the same.
 *
 * The hotline's intake.  wo_create() dispatches a trusted order (hotline,
 * phone, walk-in) whose place it can route, and dates that dispatch at the
 * clock, not at received_at (order.c: the handler of an imported order gets it
 * now).  A simulated order received months ago must be dispatched then, so the
 * simulation files trusted orders with the place the desk would still have to
 * read from the address (the community, or the subdistrict for community-level
 * matters: DOMAIN.md's "waits for a person to dispatch"), the full address in
 * the address field, and lets the desk dispatch them, dated.  So the hotline
 * never carries the subdistrict-level categories, which would route from any
 * place, and phone calls and walk-ins (filed by a community inside its scope)
 * only what goes down to a courtyard.  With an engine that can date the
 * intake dispatch, trusted orders would take their exact place like the rest.
 */
#include "demo/demo.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "people/people.h"
#include "stats/stats.h"
#include "util/util.h"
#include "timenode/timenode.h"
#include "workorder/workorder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 0x4d53326f72646572ULL	/* "MS2order" */
#define HOUR 3600
#define DAY 86400
#define SWEEP_AT (8 * HOUR)		/* the simulated sweeper runs daily at 08:00 local */
#define CALENDAR_MARGIN 6		/* working days ahead an action's deadlines reach (5 to reply, and a day) */

/* The generator: splitmix64, as demo.c. */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* A uniform number in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

#define PICK(r, arr) ((arr)[rng_next(r) % YL_ARRAY_LEN(arr)])

/* The catalogue of requests. */

#define MON(m) (1u << ((m) - 1))
#define ALL_YEAR 0xfffu
#define HEATING (MON(11) | MON(12) | MON(1) | MON(2) | MON(3))	/* Jinan: 15 November to 15 March */
#define COLD (MON(12) | MON(1) | MON(2))
#define RAINY (MON(6) | MON(7) | MON(8) | MON(9))
#define WARM (MON(4) | MON(5) | MON(6) | MON(7) | MON(8) | MON(9) | MON(10))
#define GROWING (MON(3) | MON(4) | MON(5) | MON(6) | MON(7) | MON(8) | MON(9))
#define INSURANCE (MON(9) | MON(10) | MON(11) | MON(12) | MON(1))

enum place_kind { AT_HOUSEHOLD, AT_BUILDING, AT_YARD };

/*
 * One kind of request.  what: the request in a caller's words; done: what the
 * handler did (for a consultation: the answer).  Placeholders: {y} courtyard,
 * {b} building, {u} unit, {r} room, {f} floor, {d} how long, {t} a room
 * temperature, {s} a spot in the courtyard, {h} the handler.
 */
struct issue {
	const char *path;		/* category path as the hotline writes it */
	const char *type;
	enum place_kind at;
	unsigned months;		/* MON() bits of the months it happens in */
	int hotline, local;		/* relative weights in the hotline's and in local intake */
	const char *what[3];
	const char *done[2];
};

static const struct issue issues[] = {
	{ "城乡建设>供暖", "complaint", AT_HOUSEHOLD, HEATING, 70, 12,
	  { "家住{y}{b}{u}{r}，今年供暖以来家里暖气一直不热，室温只有{t}度左右，家里有老人孩子",
	    "{y}{b}{u}{r}暖气片上热下凉，屋里温度上不去，找过物业和供热公司都没有解决",
	    "{y}{b}整栋楼暖气都不热，已经{d}了，晚上屋里冷得睡不着" },
	  { "{h}联系供热公司上门排查，系管道内积气造成循环不畅，已排气处理，复测室温达到18℃以上",
	    "{h}协调供热公司对单元供暖立管进行冲洗并更换了堵塞的阀门，暖气已恢复正常" } },
	{ "城乡建设>供暖", "help", AT_HOUSEHOLD, HEATING, 12, 8,
	  { "{y}{b}{u}{r}暖气管道阀门漏水，水已经渗到楼下邻居家",
	    "家住{y}{b}{u}{r}，暖气片接口处一直滴水，联系物业{d}了也没人来修" },
	  { "{h}联系供热公司维修人员当天上门，更换了漏水阀门，并协助与楼下住户沟通了善后事宜",
	    "{h}协调物业关闭单元供暖阀门，供热公司更换了破损管件，已恢复供暖" } },
	{ "城乡建设>供暖", "consultation", AT_HOUSEHOLD, MON(9) | MON(10) | MON(11) | MON(12), 10, 6,
	  { "今年供暖费的缴费时间和缴费方式，以及停暖申请怎么办理",
	    "新入住的房子怎么开通供暖，需要带什么材料" },
	  { "已答复：供暖费可通过供热公司营业厅、微信公众号或银行代缴，停暖须由产权人携带身份证和房产证明到供热公司营业厅办理",
	    "已答复：新开通供暖须于10月31日前携带房产证明和身份证到供热公司营业厅申请，工作人员上门验收后开栓" } },
	{ "公用设施>供水排水", "complaint", AT_BUILDING, ALL_YEAR, 14, 8,
	  { "{y}{b}一到早晚用水高峰水压就很低，{f}以上基本放不出水",
	    "{y}{b}{u}自来水水压忽高忽低，热水器经常打不着火" },
	  { "{h}协调供水公司检查小区二次供水设备，更换了故障加压泵，水压已恢复正常",
	    "{h}联系供水公司对{b}入户管道进行检修，清理了堵塞的过滤器，居民用水恢复正常" } },
	{ "公用设施>供水排水", "complaint", AT_YARD, MON(5) | MON(6) | MON(7) | MON(8) | MON(9), 14, 4,
	  { "{y}已经停水{d}了，事先也没有任何通知，居民做饭洗漱都成问题",
	    "{y}从昨天下午开始停水，物业也说不清什么时候来水" },
	  { "经{h}联系供水公司核实，系市政主管道抢修临时停水，当晚已恢复供水，并要求今后停水前提前张贴通知",
	    "{h}协调供水公司调派送水车为居民临时供水，管道抢修完成后已恢复正常供水" } },
	{ "公用设施>供水排水", "complaint", AT_YARD, RAINY, 14, 10,
	  { "下雨后{y}{s}积水很深，下水道往外返水，居民出行困难",
	    "{y}{b}化粪池堵塞，污水漫到了楼道口，气味很大" },
	  { "{h}组织物业用疏通车对雨污管道进行了清掏，积水已排除",
	    "{h}协调环卫部门对化粪池进行了清掏，并对楼道口进行了冲洗消毒" } },
	{ "公用设施>供水排水", "help", AT_HOUSEHOLD, COLD, 6, 8,
	  { "天太冷，{y}{b}{u}{r}家里的水管冻裂了，屋里到处是水",
	    "{y}{b}楼道里的水表和水管冻住了，好几户人家都没有水用" },
	  { "{h}协调物业关闭了总阀并更换了冻裂的水管，对楼道管道加装了保温层",
	    "{h}联系供水公司上门解冻，并提醒居民做好水表保温" } },
	{ "城乡建设>物业管理", "complaint", AT_YARD, ALL_YEAR, 40, 14,
	  { "{y}物业服务不到位，{s}的垃圾几天没人清理，门岗也经常没人",
	    "{y}物业只收费不干活，楼道卫生没人打扫，报修也没人管",
	    "{y}物业人员服务态度差，居民反映问题推三阻四" },
	  { "{h}约谈物业公司负责人，督促其落实保洁和门岗值守制度，现场垃圾已清理完毕",
	    "{h}组织物业和居民代表召开协调会，物业承诺增加保洁人员并公开报修电话，院落党支部定期监督" } },
	{ "城乡建设>物业管理", "complaint", AT_BUILDING, ALL_YEAR, 22, 10,
	  { "{y}{b}的电梯{d}内坏了好几次，还有一次把人困在里面，老人出行很困难",
	    "{y}{b}{u}电梯停运{d}了，物业说在等配件，楼上的老人下不了楼" },
	  { "{h}协调物业联系电梯维保单位进行全面检修，更换了故障部件，电梯已恢复运行",
	    "{h}督促物业加快配件采购，电梯已修复运行，并在轿厢内张贴了维保单位的24小时报修电话" } },
	{ "城乡建设>物业管理", "complaint", AT_YARD, ALL_YEAR, 12, 10,
	  { "{y}门禁坏了{d}，外来人员随意进出，存在安全隐患",
	    "{y}{b}{u}单元门锁坏了，门关不上，晚上很不安全" },
	  { "{h}督促物业维修了门禁系统，已恢复正常使用",
	    "{h}联系物业当天更换了单元门锁和闭门器" } },
	{ "城乡建设>物业管理", "consultation", AT_YARD, ALL_YEAR, 6, 10,
	  { "{y}是老旧小区，一直没有物业，能否由社区帮助引进物业或者由居民自治管理",
	    "{y}成立业主委员会需要什么条件和程序" },
	  { "已答复：可由院落党支部牵头召开居民议事会，征求居民意见后选聘物业或成立自治管理小组，社区全程指导",
	    "已答复：成立业主委员会由街道指导、社区组织筹备组，召开业主大会选举产生，具体流程可到社区咨询" } },
	{ "城乡建设>物业管理", "complaint", AT_YARD, ALL_YEAR, 10, 6,
	  { "{y}物业没有召开业主大会就上调物业费，居民意见很大",
	    "{y}物业收取停车费的标准不公开，居民质疑收费不合理" },
	  { "{h}组织物业与居民代表座谈，物业暂缓调价，并承诺按季度公示收支明细",
	    "{h}督促物业在公示栏公开收费标准和依据，对居民的疑问逐一作了解释" } },
	{ "城乡建设>房屋维修", "help", AT_HOUSEHOLD, RAINY, 14, 14,
	  { "家住{y}{b}{u}{r}，是顶楼，一下雨屋顶就漏水，墙皮都泡掉了",
	    "{y}{b}顶楼几户都反映屋面防水老化，下雨天家里要接好几个盆" },
	  { "{h}协调物业启用维修资金对屋面防水层进行了修补，雨天复查已不再漏水",
	    "{h}联系施工单位对{b}屋面重新做了防水，并回访了受影响的住户" } },
	{ "城乡建设>房屋维修", "complaint", AT_BUILDING, ALL_YEAR, 8, 10,
	  { "{y}{b}楼道窗户玻璃破损，冬天往里灌风，也怕掉下来伤人",
	    "{y}{b}外墙皮大面积脱落，楼下就是人行道，存在安全隐患" },
	  { "{h}组织物业更换了破损的楼道窗户玻璃",
	    "{h}联系施工单位清除了松动的墙皮，设置了警示隔离带，修复工作已完成" } },
	{ "市容环境>环境卫生", "complaint", AT_YARD, ALL_YEAR, 16, 14,
	  { "{y}{s}的垃圾桶满了没人清运，气味很大，还招苍蝇",
	    "{y}{s}有人乱倒建筑垃圾，堆了{d}也没人管" },
	  { "{h}联系环卫公司增加了清运频次，现场垃圾已清理干净",
	    "{h}督促物业清运了建筑垃圾，并在现场张贴了禁止倾倒的提示" } },
	{ "市容环境>环境卫生", "complaint", AT_BUILDING, ALL_YEAR, 6, 16,
	  { "{y}{b}{u}楼道里堆满了纸箱、旧家具等杂物，影响通行",
	    "{y}{b}有住户在楼梯间堆放杂物，占用了公共空间" },
	  { "{h}组织楼长和志愿者清理了楼道杂物，并逐户做了宣传",
	    "{h}上门与住户沟通，住户已自行清理堆放的物品" } },
	{ "市容环境>环境卫生", "complaint", AT_YARD, ALL_YEAR, 6, 8,
	  { "{y}有人遛狗不拴绳，也不清理粪便，孩子们都不敢在院子里玩",
	    "{y}{b}有住户养的狗整夜叫，影响邻居休息" },
	  { "{h}在小区张贴了文明养犬倡议，并对相关养犬户进行了劝导",
	    "{h}上门与养犬户沟通，养犬户表示会加强看管" } },
	{ "市容环境>环境卫生", "suggestion", AT_YARD, ALL_YEAR, 2, 8,
	  { "建议在{y}设置垃圾分类投放点，并安排志愿者现场指导" },
	  { "{h}已在{s}设置了分类投放点，并组织志愿者开展垃圾分类宣传",
	    "{h}召开居民议事会商定了投放点位置，分类投放点已投入使用" } },
	{ "市容环境>绿化养护", "complaint", AT_BUILDING, GROWING, 6, 8,
	  { "{y}{b}前的树长得太高太密，挡住了低层住户的采光，屋里白天也得开灯",
	    "{y}{b}旁边的树枝伸进了窗户，还招虫子" },
	  { "{h}联系园林部门对树木进行了修剪",
	    "{h}协调物业对遮挡窗户的树枝进行了修剪" } },
	{ "市容环境>绿化养护", "complaint", AT_YARD, GROWING, 4, 8,
	  { "{y}有居民在公共绿地上私自开荒种菜，还用粪水浇地，气味难闻",
	    "{y}{s}的绿地被人圈起来种菜，破坏了小区绿化" },
	  { "{h}多次上门做工作，种菜的居民已自行清除，绿地已恢复",
	    "{h}组织志愿者对绿地进行了清理，并与居民签订了爱绿护绿承诺书" } },
	{ "市容环境>绿化养护", "help", AT_YARD, MON(6) | MON(7) | MON(8) | MON(9), 4, 6,
	  { "大风把{y}{s}的树枝刮断了，挂在半空，随时可能掉下来" },
	  { "{h}当天组织人员清理了断枝，排除了安全隐患",
	    "{h}联系园林部门对断枝进行了清理，并对周边树木做了检查" } },
	{ "市容环境>乱停乱放", "complaint", AT_YARD, ALL_YEAR, 14, 12,
	  { "{y}消防通道经常被私家车占用，{s}堵得消防车根本进不来",
	    "{y}{s}有车辆长期占道停放，居民出入很不方便" },
	  { "{h}逐一联系车主挪车，并施划了禁停标线、安装了提示牌",
	    "{h}协调物业在消防通道加装了隔离桩，占道车辆已挪走" } },
	{ "市容环境>乱停乱放", "complaint", AT_YARD, ALL_YEAR, 8, 8,
	  { "{y}外来车辆随意进入小区占用车位，居民下班回家没地方停车" },
	  { "{h}协调物业实行车辆出入登记，外来车辆临时停放需登记并限时离开",
	    "{h}组织居民议事会商定了停车管理办法，外来车辆已不能随意进入" } },
	{ "市容环境>乱停乱放", "complaint", AT_YARD, ALL_YEAR, 4, 6,
	  { "{y}{s}有一辆僵尸车停了半年多，落满了灰，也没人管" },
	  { "{h}多方查找联系到车主，车辆已被拖离",
	    "{h}在车上张贴了限期挪车通知，到期后协调交警部门将车辆拖离" } },
	{ "邻里纠纷>噪音扰民", "complaint", AT_YARD, WARM, 18, 8,
	  { "{y}{s}每天晚上跳广场舞，音响声音太大，一直跳到九点多，严重影响休息",
	    "{y}附近广场晚上有人放音乐跳舞，楼上家里有高考的学生" },
	  { "{h}与广场舞队负责人协商，调低了音响音量，并将结束时间提前到晚上8点",
	    "{h}组织广场舞队和周边居民代表协商，约定了活动时间和音量，双方均表示认可" } },
	{ "邻里纠纷>噪音扰民", "complaint", AT_HOUSEHOLD, ALL_YEAR, 14, 10,
	  { "{y}{b}{u}有住户装修，周末一大早就开始砸墙、打电钻，噪音很大",
	    "{y}{b}楼上住户装修中午也不停，家里老人没法午休" },
	  { "{h}上门与装修户沟通，约定工作日8点至12点、14点至18点施工，周末不施工",
	    "{h}协调物业加强装修管理，装修户已调整施工时间" } },
	{ "邻里纠纷>噪音扰民", "complaint", AT_YARD, MON(5) | MON(6) | MON(7) | MON(8) | MON(9), 12, 4,
	  { "{y}门口的烧烤摊营业到深夜，油烟和吵闹声扰民" },
	  { "{h}联合执法中队对烧烤摊进行了劝导，已规范经营时间并加装了油烟净化设备",
	    "{h}协调市场监管和综合执法部门对烧烤摊进行了整治，夜间已不再扰民" } },
	{ "邻里纠纷>噪音扰民", "complaint", AT_HOUSEHOLD, ALL_YEAR, 8, 8,
	  { "{y}{b}{u}{r}反映楼上住户每天深夜拖拽家具、孩子跑跳，严重影响休息" },
	  { "{h}上门调解，楼上住户同意铺设地垫并注意夜间休息时间",
	    "{h}组织楼上楼下两户当面沟通，双方达成谅解" } },
	{ "邻里纠纷>邻里矛盾", "help", AT_HOUSEHOLD, ALL_YEAR, 10, 18,
	  { "家住{y}{b}{u}{r}，楼上卫生间漏水渗到我家天花板，多次找楼上协商都没有结果",
	    "{y}{b}{u}楼上楼下因为漏水问题闹矛盾，希望有人出面调解" },
	  { "{h}组织双方到现场查看，经调解，楼上住户同意重新做防水并承担楼下的维修费用，双方签订了调解协议",
	    "{h}调解员上门调解，请专业人员查明了漏水点，楼上住户已维修，双方矛盾化解" } },
	{ "邻里纠纷>邻里矛盾", "help", AT_BUILDING, ALL_YEAR, 6, 10,
	  { "{y}{b}{u}有邻居在楼道里私装铁门，把公共区域圈成了自家的",
	    "{y}{b}一楼住户私自在楼前圈占空地，其他居民很有意见" },
	  { "{h}多次上门做工作，邻居已拆除私装的铁门，恢复了公共通道",
	    "经{h}调解，住户已拆除围挡，空地恢复公共使用" } },
	{ "邻里纠纷>邻里矛盾", "help", AT_YARD, ALL_YEAR, 4, 10,
	  { "{y}两户居民因为车位问题发生争执，差点动手，请求调解" },
	  { "{h}组织双方协商，明确了车位的使用规则，矛盾已化解",
	    "{h}调解小组上门调解，双方各退一步，已握手言和" } },
	{ "公用设施>供电照明", "help", AT_BUILDING, ALL_YEAR, 12, 16,
	  { "{y}{b}{u}楼道灯坏了{d}，晚上黑漆漆的，老人上下楼很不安全",
	    "{y}{b}好几个单元的声控灯都不亮了" },
	  { "{h}联系物业更换了声控灯，楼道已恢复照明",
	    "{h}组织志愿者购买并更换了楼道灯泡" } },
	{ "公用设施>供电照明", "complaint", AT_YARD, ALL_YEAR, 6, 8,
	  { "{y}{s}的路灯坏了{d}，晚上出门很不方便" },
	  { "{h}协调物业维修了路灯线路，路灯已恢复照明",
	    "{h}联系供电公司检修了线路，路灯已恢复正常" } },
	{ "公用设施>供电照明", "suggestion", AT_YARD, ALL_YEAR, 6, 10,
	  { "建议在{y}安装电动车集中充电桩，解决居民充电难、飞线充电的问题" },
	  { "{h}协调供电公司和物业在{s}安装了智能充电桩，已投入使用",
	    "{h}经居民议事会商议，已选定充电桩安装位置，充电桩已建成使用" } },
	{ "公用设施>道路井盖", "complaint", AT_YARD, ALL_YEAR, 8, 10,
	  { "{y}{s}的井盖破损塌陷，晚上看不清容易绊倒人",
	    "{y}{s}有一个井盖丢了，只用树枝挡着，非常危险" },
	  { "{h}联系相关产权单位更换了井盖，已消除安全隐患",
	    "{h}当即设置了警示标志，产权单位已补装井盖" } },
	{ "公用设施>道路井盖", "complaint", AT_YARD, ALL_YEAR, 6, 6,
	  { "{y}内道路坑洼不平，下雨天到处是积水" },
	  { "{h}协调物业对破损路面进行了修补",
	    "{h}将该路段纳入老旧小区改造计划，已完成路面硬化" } },
	{ "治安安全>消防隐患", "report", AT_BUILDING, ALL_YEAR, 8, 12,
	  { "{y}{b}有住户从楼上窗户拉电线下来给电动车充电，存在很大的火灾隐患",
	    "{y}{b}{u}有人把电动车推进楼道里充电" },
	  { "{h}联合物业对飞线充电和楼道充电行为进行了劝导清理，并张贴了消防安全提示",
	    "{h}上门宣传电动车安全充电知识，相关住户已将车辆移至集中充电区" } },
	{ "治安安全>消防隐患", "report", AT_YARD, MON(1) | MON(2), 6, 4,
	  { "春节期间有人在{y}{s}燃放烟花爆竹，碎屑到处都是，还差点点着车棚" },
	  { "{h}组织志愿者开展巡逻劝导，并清扫了燃放残留物",
	    "{h}在小区各出入口张贴了禁放通告，并安排人员值守" } },
	{ "治安安全>消防隐患", "complaint", AT_BUILDING, ALL_YEAR, 4, 8,
	  { "{y}{b}楼道里的灭火器早就过期了，消防栓也没有水" },
	  { "{h}督促物业更换了过期的灭火器，并对消防栓进行了检修",
	    "{h}协调消防救援站对小区消防设施进行了检查，问题已整改" } },
	{ "治安安全>治安秩序", "help", AT_YARD, ALL_YEAR, 6, 6,
	  { "{y}车棚里的电动车被盗了，小区监控一直是坏的" },
	  { "{h}协调派出所调取了周边监控，并督促物业修复了小区监控设备",
	    "{h}联系派出所立案调查，并组织志愿者加强夜间巡逻" } },
	{ "治安安全>治安秩序", "report", AT_YARD, ALL_YEAR, 4, 6,
	  { "{y}最近有人在小区里发传单、搞免费体检，向老人推销高价保健品" },
	  { "{h}联系派出所进行了处理，并在院落内开展了防诈骗宣传",
	    "{h}组织网格员入户提醒老人谨防诈骗，推销人员已被劝离" } },
	{ "民生服务>养老助残", "consultation", AT_HOUSEHOLD, ALL_YEAR, 8, 12,
	  { "80周岁以上老人的高龄津贴怎么申请，需要准备什么材料",
	    "家中老人满80岁后高龄补贴什么时候开始发放" },
	  { "已答复：年满80周岁的本地户籍老人可申请高龄津贴，携带身份证、户口本和银行卡到社区便民服务站办理，次月起发放",
	    "已答复：高龄津贴自老人年满80周岁的次月起按月发放，可在社区便民服务站查询发放情况" } },
	{ "民生服务>养老助残", "help", AT_HOUSEHOLD, ALL_YEAR, 4, 14,
	  { "{y}{b}{u}{r}住着一位独居老人，行动不便，希望社区帮忙解决买菜做饭的问题",
	    "家住{y}{b}{u}{r}，老伴住院了，自己腿脚不好，希望有人帮忙代购生活用品" },
	  { "{h}安排志愿者与老人结对，每周上门两次代购生活用品，并将老人纳入社区助餐服务",
	    "{h}联系助老服务队上门服务，已帮助老人解决了日常生活困难" } },
	{ "民生服务>养老助残", "consultation", AT_HOUSEHOLD, ALL_YEAR, 4, 8,
	  { "居家适老化改造有没有补贴，怎么申请" },
	  { "已答复：经济困难的高龄、失能老年人家庭可申请居家适老化改造补贴，可到社区登记，由街道统一组织评估和改造",
	    "已答复：适老化改造补贴需先到社区登记，经评估后由街道组织施工，个人无需垫付费用" } },
	{ "民生服务>社保低保", "consultation", AT_HOUSEHOLD, INSURANCE, 10, 8,
	  { "明年城乡居民医保的缴费时间和缴费方式",
	    "家里孩子的城乡居民医保怎么缴费" },
	  { "已答复：城乡居民医保集中缴费期为每年9月至12月，可通过“爱山东”APP、合作银行或社区便民服务站缴纳",
	    "已答复：学生儿童可随家庭一起在“爱山东”APP或社区便民服务站缴纳城乡居民医保" } },
	{ "民生服务>社保低保", "help", AT_HOUSEHOLD, ALL_YEAR, 6, 8,
	  { "{y}{b}{u}{r}家庭生活困难，想申请低保，不知道怎么办理",
	    "家住{y}{b}{u}{r}，家中有重病患者，医疗费用负担重，想问能否申请临时救助" },
	  { "{h}入户调查了解家庭情况，指导其准备申请材料，已受理低保申请",
	    "{h}对家庭情况进行了核实，已为其申请临时救助并链接了慈善资源" } },
	{ "民生服务>社保低保", "consultation", AT_HOUSEHOLD, ALL_YEAR, 6, 4,
	  { "灵活就业人员怎么缴纳养老保险" },
	  { "已答复：灵活就业人员可携带身份证到区社保中心或通过“爱山东”APP办理参保登记，按年或按月缴费",
	    "已答复：灵活就业人员养老保险缴费基数可在规定范围内自选，详情可咨询区社保中心" } },
	{ "其他>其他事项", "suggestion", AT_YARD, ALL_YEAR, 4, 10,
	  { "建议在{y}增设快递柜，方便上班族取件",
	    "建议在{y}{s}增设几组休闲座椅，方便老人休息" },
	  { "{h}已协调快递企业在{s}安装了智能快递柜",
	    "{h}经居民议事会讨论通过，已在{s}增设了休闲座椅" } },
	{ "其他>其他事项", "help", AT_YARD, ALL_YEAR, 4, 8,
	  { "{y}流浪猫狗越来越多，晚上叫个不停，还担心伤到孩子" },
	  { "{h}联系动物救助志愿者对流浪猫狗进行了收容和绝育",
	    "{h}组织志愿者对流浪猫狗进行了集中救助，并倡导居民文明投喂" } },
	{ "其他>其他事项", "complaint", AT_YARD, ALL_YEAR, 4, 8,
	  { "{y}{s}的健身器材损坏了，存在安全隐患" },
	  { "{h}联系体育部门对健身器材进行了维修更换",
	    "{h}督促物业拆除了损坏的器材，新器材已安装到位" } },
};

#define NISSUES YL_ARRAY_LEN(issues)

static const char *const durations[] = { "两三天", "一个星期", "一个多星期", "半个多月", "好几天", "十来天" };
static const char *const spots[] = { "东门口", "南门口", "中心广场", "车棚旁边", "北侧停车场", "垃圾站附近",
				     "小区主路上", "西门附近", "健身广场", "{b}前" };

/* Who handled it, in the reply's words: by the handler's level. */
static const char *const handled_by[3][3] = {
	{ "院落党支部", "院落党支部书记", "院落党支部组织楼长" },
	{ "社区", "社区网格员", "社区党总支" },
	{ "街道", "街道相关科室", "街道综合执法办" },
};

static const char *const reply_tail[] = { "，已回复诉求人。", "，已电话告知诉求人，诉求人表示认可。",
					  "，现场照片已留存。", "。", "，已当面向诉求人反馈。" };

/* How a request opens, by source (mobile grid: riders, then couriers). */
static const char *const open_hotline[] = { "市民来电反映：", "来电人反映：", "市民通过12345热线反映：", "来电人称：" };
static const char *const open_resident[] = { "", "居民网上反映：", "居民留言：" };
static const char *const open_grid[] = { "网格员巡查发现：", "网格员入户走访时了解到：", "网格员上报：" };
static const char *const open_rider[] = { "外卖骑手送餐时发现：", "流动网格员（外卖骑手）上报：" };
static const char *const open_courier[] = { "快递员送件时发现：", "流动网格员（快递员）上报：" };
static const char *const open_phone[] = { "居民来电反映：", "社区接到居民电话：" };
static const char *const open_walk_in[] = { "居民到社区反映：", "居民来社区办事时反映：" };
/* A consultation (咨询) asks; by source, as above (grid members and couriers do not ask). */
static const char *const ask_hotline[] = { "市民来电咨询：", "来电人咨询：" };
static const char *const ask_resident[] = { "居民网上咨询：", "居民留言咨询：" };
static const char *const ask_phone[] = { "居民来电咨询：", "社区接到居民电话咨询：" };
static const char *const ask_walk_in[] = { "居民到社区咨询：", "居民来社区办事时咨询：" };

/* How it closes, by type (WO_TYPES order). */
static const char *const ask[5][4] = {
	{ "？", "，请给予答复。", "？", "，谢谢。" },
	{ "，希望能帮忙解决。", "，请求帮助协调。", "，希望社区帮忙想想办法。", "，希望尽快帮忙处理。" },
	{ "，希望有关部门尽快处理。", "，请尽快解决。", "，希望相关部门督促整改。", "，要求尽快给个说法。" },
	{ "，请相关部门查处。", "，希望尽快制止。", "，请有关部门管一管。", "，请尽快处理。" },
	{ "，希望予以采纳。", "，希望能够考虑。", "，供参考。", "，希望尽快落实。" },
};

static const char *const op_refuse[] = { "经核实为重复诉求，已并入同一事项办理",
					 "诉求内容不明确，多次联系诉求人未接通，不予受理",
					 "该事项已进入诉讼程序，已告知诉求人通过法律途径解决" };
static const char *const op_return[] = { "经核实，该事项涉及专业单位管线，院落无法处置，申请退回重新派发",
					 "诉求地址不在本院落范围内，申请退回",
					 "该事项需社区协调产权单位办理，院落力量无法解决，申请退回" };
static const char *const op_refuse_return[] = { "经核实，该事项属于你单位职责范围，请继续办理",
						"诉求地址核实无误，请按期办结" };
static const char *const op_extension[] = { "需协调物业公司和施工单位，维修材料尚未到货",
					    "涉及多户居民，需召开居民议事会协商", "需等待天气条件允许后施工" };
static const char *const op_refuse_extension[] = { "该事项不符合延期条件，请按期办结", "请加快办理进度，不予延期" };
static const char *const op_escalate[2][2] = {
	{ "涉及多个部门，院落无法协调解决，提请社区协调处理", "需社区协调专业单位办理，提请社区处理" },
	{ "需街道协调区直有关部门，提请街道处理", "问题涉及多个社区，提请街道统筹解决" },
};
static const char *const op_supervise_late[] = { "该工单已超期，请加快办理并于今日内回复",
						 "超期未办结，请说明原因并尽快办结" };
static const char *const op_supervise_dissatisfied[] = { "诉求人对办理结果不满意，请重新核实处理，做好沟通解释",
							 "群众不满意，督促承办单位再次上门处理" };
static const char *const op_redo[] = { "诉求人反映问题仍未解决，退回重新办理",
				       "回访不满意，请承办单位重新办理并当面答复诉求人" };
static const char *const op_close[] = { "经多次沟通，诉求超出政策范围，已做好解释说明，予以办结",
					"诉求人要求不合理，已依法依规答复，予以办结" };
static const char *const op_reject_review[] = { "回复内容过于简单，请补充处理过程和结果后重新回复",
						"回复与诉求不对应，请核实后重新回复" };
static const char *const op_callback[3][2] = {
	{ "回访诉求人，对处理结果表示满意", "回访诉求人，问题已解决，表示感谢" },
	{ "回访诉求人，表示基本满意，希望后续加强管理", "回访诉求人，问题基本解决，表示基本满意" },
	{ "回访诉求人，表示问题没有彻底解决，不满意", "回访诉求人，对处理时效和结果不满意" },
};
static const char *const op_redo_reply[] = { "已再次上门核实处理，问题已解决，并当面向诉求人作了解释",
					     "重新协调有关单位处理完毕，诉求人已认可" };

/* Callers the hotline writes as 张女士 / 王先生 when they give no full name. */
static const char *const caller_surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
					       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "韩" };

/* Names in WO_SOURCES, WO_TYPES and WO_STATES order. */
enum source { SRC_RESIDENT, SRC_GRID, SRC_MOBILE_GRID, SRC_PHONE, SRC_WALK_IN, SRC_HOTLINE, NSOURCES };
static const char *const source_names[NSOURCES] = { "resident", "grid", "mobile_grid", "phone", "walk_in", "hotline" };
static const char *const type_names[] = { "consultation", "help", "complaint", "report", "suggestion" };
enum state { ST_RECEIVED, ST_ACCEPTED, ST_ANSWERED, ST_DISPATCHED, ST_RETURN_REQUESTED, ST_IN_PROGRESS, ST_REPLIED,
	     ST_REVIEWED, ST_DISSATISFIED, ST_CLOSED, NSTATES, ST_NONE = -1 };
static const char *const state_names[NSTATES] = { "received", "accepted", "answered", "dispatched", "return_requested",
						  "in_progress", "replied", "reviewed", "dissatisfied", "closed" };

/* Who takes the orders in: the hotline, and the local channels. */
enum channel { CH_HOTLINE, CH_RESIDENT, CH_GRID, CH_MOBILE, CH_DESK, NCHANNELS };

/* The demo's accounts the simulation acts as (NULL where missing: the system). */
enum account { AC_SUBDISTRICT, AC_COMMUNITY, AC_COURTYARD, AC_GRID, AC_RIDER, NACCOUNTS };
static const char *const account_logins[NACCOUNTS] = { "mingshui", "longquan", "junlin", "grid01", "rider01" };

/* The tree, as the simulation needs it. */
struct place {
	int64_t id, parent_id;
	enum node_level level;
	const char *name;		/* into sim.nodes */
	int parent;			/* index, -1 at the top */
	int yard;			/* index of its courtyard, -1 above the courtyard */
	int community;			/* index of its community, -1 for the subdistrict */
	int first_caller, ncallers;	/* households: the adults living there, in sim.callers */
};

struct caller {
	int place;			/* the household */
	const char *name, *phone;	/* into sim.persons; phone may be NULL */
	int female;
};

struct yard {
	int place;
	int community;
	int *households;		/* place indices */
	int nh, cap;
	double start;			/* the month (from the window's start) its branch got going */
};

struct community {
	int place;
	int64_t id;
};

/* One order of the simulation: its plan, drawn at the start, and where it stands. */
struct agent {
	uint32_t idx;
	uint8_t month;			/* month of the window */
	uint8_t source, channel, want;	/* want: the level routing wants, an enum node_level */
	uint16_t issue;
	int32_t yard;
	int32_t household;		/* place index of the caller's household */
	int64_t received;
	int64_t id;			/* 0 before intake */
	struct rng rng;
	/* The plan. */
	uint8_t refuse, direct, to_yard, ret, ret_ok, ext, ext_ok, esc, late, near, reject;
	uint8_t sup_late, sup_dis, redo, urgent;
	uint8_t sat[2];			/* first callback, callback after a redo: 0 satisfied .. 2 dissatisfied */
	uint16_t d_accept, d_dispatch, d_sign, d_return, d_decide, d_ext, d_esc, d_late, d_review, d_callback;
	double work;			/* in [0, 1): how long the handling takes, by the handler's level */
	/* Where it stands. */
	int8_t st;			/* the state as the simulation last saw or left it */
	int64_t handler;
	int64_t since;			/* when it came into that state */
	int64_t ext_at;			/* when the extension was asked */
	int64_t deadline;		/* the reply deadline when last read; 0: unknown */
	uint8_t asked_return, asked_ext, escalated, supervised, sup_dis_done, rejected, answered;
};

struct wake {
	int64_t t;
	uint32_t agent;
};

struct sim {
	struct store *s;
	struct fault *f;
	struct demo_order_counts *c;
	const struct demo_progress *pr;
	int64_t until, start;
	int months;			/* complete months; the window has months + 1 */
	int64_t month_start[DEMO_MAX_MONTHS + 2];
	int month_of_year[DEMO_MAX_MONTHS + 1];
	/* The calendar of the window's days. */
	int32_t day0;
	int ndays;
	uint8_t *working, *cal_ok;
	/* The tree and its residents. */
	struct node_list nodes;
	struct person_list persons;
	struct place *places;		/* by id */
	size_t nplaces;
	struct caller *callers;
	size_t ncallers;
	struct yard *yards;
	int nyards;
	struct community *comms;
	int ncomms;
	int64_t subdistrict_id;
	int subdistrict;		/* its place index */
	/* Categories and routing, per issue. */
	int64_t category[NISSUES];
	enum node_level want[NISSUES];
	/* Actors. */
	struct actor actors[NACCOUNTS];
	int have[NACCOUNTS];
	int64_t junlin_yard, longquan;
	/* Orders and their wakes. */
	struct agent *ag;
	size_t nag;
	struct wake *heap;
	size_t nheap, capheap;
	/* Texts: no two identical in a row. */
	struct buf last_text;
	int hot_day;
	int hot_seq;
	size_t month_done;
};

/* Time. */

static int32_t local_day(int64_t t)
{
	return calendar_day_of(t);
}

static int day_working(const struct sim *sm, int32_t d)
{
	if (d >= sm->day0 && d < sm->day0 + sm->ndays)
		return sm->working[d - sm->day0];
	return calendar_weekday(d) <= 5;
}

static int day_calendar(const struct sim *sm, int32_t d)
{
	return d >= sm->day0 && d < sm->day0 + sm->ndays && sm->cal_ok[d - sm->day0];
}

/* A jitter of 0..span-1 seconds that depends only on its inputs, so a plan's times never move between wakes. */
static int64_t jitter(const struct agent *a, int64_t t, int span)
{
	struct rng r = { a->rng.s ^ (uint64_t)t * 0x2545f4914f6cdd1dULL };

	return span > 0 ? (int64_t)(rng_next(&r) % (uint64_t)span) : 0;
}

/* The first office moment at or after t: a working day, 08:30 to 17:30. */
static int64_t office_time(const struct sim *sm, const struct agent *a, int64_t t)
{
	int32_t d = local_day(t);
	int64_t sod = t - calendar_day_start(d);

	if (day_working(sm, d) && sod >= 8 * HOUR + 1800 && sod < 17 * HOUR + 1800)
		return t;
	if (!(day_working(sm, d) && sod < 8 * HOUR + 1800))
		do
			d++;
		while (!day_working(sm, d));
	return calendar_day_start(d) + 8 * HOUR + 1800 + jitter(a, t, 5400);
}

/* Courtyard branch secretaries are retired neighbours: any day, 07:00 to 21:00. */
static int64_t yard_time(const struct agent *a, int64_t t)
{
	int32_t d = local_day(t);
	int64_t sod = t - calendar_day_start(d);

	if (sod >= 7 * HOUR && sod < 21 * HOUR)
		return t;
	if (sod >= 21 * HOUR)
		d++;
	return calendar_day_start(d) + 7 * HOUR + jitter(a, t, 7200);
}

static int64_t handler_time(const struct sim *sm, const struct agent *a, enum node_level level, int64_t t)
{
	return level == LEVEL_COURTYARD ? yard_time(a, t) : office_time(sm, a, t);
}

/* Can a deadline days working days after from be counted (the calendar of its year is loaded)? */
static int calendar_covers(struct sim *sm, int64_t from, int days)
{
	int64_t due;

	if (calendar_deadline(sm->s, from, days, &due, sm->f) == 0)
		return 1;
	fault_clear(sm->f);
	return 0;
}

/* 3p^2 - 2p^3: slow at first, fastest mid-year, levelling off. */
static double smooth(double p)
{
	if (p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	return p * p * (3 - 2 * p);
}

static double lerp(double a, double b, double x)
{
	return a + (b - a) * x;
}

/* The year's progress of month k of the window (the current month continues the last complete one). */
static double progress_of(const struct sim *sm, int k)
{
	if (k >= sm->months)
		return 1.0;
	return sm->months > 1 ? (double)k / (sm->months - 1) : 1.0;
}

/* How far courtyard y's branch is taking requests in month k: 0 before it starts, 1 three months on. */
static double adoption(const struct yard *y, int k)
{
	double v = ((double)k - y->start + 1.0) / 3.0;

	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The tree and the residents. */

static int place_cmp(const void *a, const void *b)
{
	const struct place *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int place_index(const struct sim *sm, int64_t id)
{
	size_t lo = 0, hi = sm->nplaces;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sm->places[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sm->nplaces && sm->places[lo].id == id ? (int)lo : -1;
}

static int caller_cmp(const void *a, const void *b)
{
	const struct caller *x = a, *y = b;

	return x->place - y->place;
}

static int load_tree(struct sim *sm, int until_year)
{
	struct node sub;
	struct node_filter flt;
	struct person_filter pf;
	size_t i;
	int k;

	if (org_node_get_by_code(sm->s, DEMO_SUBDISTRICT_CODE, &sub, sm->f) < 0) {
		if (sm->f->kind == FAULT_NOT_FOUND)
			fault_set(sm->f, FAULT_CONFLICT, "code", "the demo's tree is not loaded: no subdistrict %s",
				  DEMO_SUBDISTRICT_CODE);
		return -1;
	}
	sm->subdistrict_id = sub.id;
	memset(&flt, 0, sizeof(flt));
	flt.scope_id = sub.id;
	flt.limit = 1000000;
	node_release(&sub);
	if (org_node_list(sm->s, &flt, &sm->nodes, sm->f) < 0)
		return -1;
	sm->nplaces = sm->nodes.n;
	sm->places = xcalloc(sm->nplaces, sizeof(*sm->places));
	for (i = 0; i < sm->nodes.n; i++) {
		const struct node *n = &sm->nodes.items[i];
		struct place *p = &sm->places[i];

		p->id = n->id;
		p->parent_id = n->parent_id;
		p->level = n->level;
		p->name = n->name;
		p->yard = p->community = -1;
	}
	qsort(sm->places, sm->nplaces, sizeof(*sm->places), place_cmp);
	/* Parents are created before their children: in id order, a parent's indices are known. */
	for (i = 0; i < sm->nplaces; i++) {
		struct place *p = &sm->places[i];

		p->parent = p->parent_id ? place_index(sm, p->parent_id) : -1;
		if (p->level == LEVEL_SUBDISTRICT) {
			sm->subdistrict = (int)i;
		} else if (p->level == LEVEL_COMMUNITY) {
			sm->comms = xrealloc(sm->comms, (size_t)(sm->ncomms + 1) * sizeof(*sm->comms));
			sm->comms[sm->ncomms].place = (int)i;
			sm->comms[sm->ncomms].id = p->id;
			p->community = sm->ncomms++;
		} else if (p->parent >= 0) {
			p->community = sm->places[p->parent].community;
			p->yard = sm->places[p->parent].yard;
			if (p->level == LEVEL_COURTYARD) {
				sm->yards = xrealloc(sm->yards, (size_t)(sm->nyards + 1) * sizeof(*sm->yards));
				memset(&sm->yards[sm->nyards], 0, sizeof(*sm->yards));
				sm->yards[sm->nyards].place = (int)i;
				sm->yards[sm->nyards].community = p->community;
				p->yard = sm->nyards++;
			} else if (p->level == LEVEL_HOUSEHOLD && p->yard >= 0) {
				struct yard *y = &sm->yards[p->yard];

				if (y->nh == y->cap) {
					y->cap = y->cap ? y->cap * 2 : 32;
					y->households = xrealloc(y->households, (size_t)y->cap * sizeof(int));
				}
				y->households[y->nh++] = (int)i;
			}
		}
	}
	if (!sm->nyards || !sm->ncomms)
		return fault_set(sm->f, FAULT_CONFLICT, "code", "the demo's tree has no courtyards");
	for (k = 0; k < sm->nyards; k++)
		if (!sm->yards[k].nh)
			return fault_set(sm->f, FAULT_CONFLICT, "code", "courtyard %s has no households",
					 sm->places[sm->yards[k].place].name);

	/* Callers: the adults of each household. */
	memset(&pf, 0, sizeof(pf));
	pf.under_id = sm->subdistrict_id;
	pf.party_member = -1;
	pf.limit = 1000000;
	if (people_person_list(sm->s, &pf, &sm->persons, sm->f) < 0)
		return -1;
	sm->callers = xcalloc(sm->persons.n + 1, sizeof(*sm->callers));
	for (i = 0; i < sm->persons.n; i++) {
		const struct person *p = &sm->persons.items[i];
		int at = p->home_node_id ? place_index(sm, p->home_node_id) : -1;

		if (at < 0 || sm->places[at].level != LEVEL_HOUSEHOLD || !p->birth_year || p->birth_year > until_year - 18)
			continue;
		sm->callers[sm->ncallers].place = at;
		sm->callers[sm->ncallers].name = p->name;
		sm->callers[sm->ncallers].phone = p->phone;
		sm->callers[sm->ncallers].female = p->gender && !strcmp(p->gender, "female");
		sm->ncallers++;
	}
	qsort(sm->callers, sm->ncallers, sizeof(*sm->callers), caller_cmp);
	for (i = 0; i < sm->ncallers; i++) {
		struct place *h = &sm->places[sm->callers[i].place];

		if (!h->ncallers++)
			h->first_caller = (int)i;
	}
	return 0;
}

/* Is node inside the scope of actor (NULL: the system, everywhere)? From the tree in memory. */
static int within(const struct sim *sm, const struct actor *a, int64_t node)
{
	int i = place_index(sm, node);

	if (!a || !a->scope_node_id)
		return 1;
	for (; i >= 0; i = sm->places[i].parent)
		if (sm->places[i].id == a->scope_node_id)
			return 1;
	return 0;
}

static int load_actors(struct sim *sm)
{
	int k;

	for (k = 0; k < NACCOUNTS; k++) {
		struct actor *a = &sm->actors[k];
		struct user u;

		if (user_get_by_login(sm->s, account_logins[k], &u, sm->f) < 0) {
			if (sm->f->kind != FAULT_NOT_FOUND)
				return -1;
			fault_clear(sm->f);
			continue;
		}
		memset(a, 0, sizeof(*a));
		a->user_id = u.id;
		snprintf(a->login, sizeof(a->login), "%s", u.login);
		snprintf(a->role, sizeof(a->role), "%s", u.role);
		a->scope_node_id = u.scope_node_id;
		user_release(&u);
		if (auth_role_permissions(sm->s, a->role, a, sm->f) < 0)
			return -1;
		sm->have[k] = 1;
	}
	sm->junlin_yard = sm->have[AC_COURTYARD] ? sm->actors[AC_COURTYARD].scope_node_id : -1;
	sm->longquan = sm->have[AC_COMMUNITY] ? sm->actors[AC_COMMUNITY].scope_node_id : -1;
	return 0;
}

static const struct actor *account(const struct sim *sm, enum account k)
{
	return sm->have[k] ? &sm->actors[k] : NULL;
}

/* Categories and the level each issue routes to (routing rules and the category's level). */
static int load_routes(struct sim *sm)
{
	const struct yard *y = &sm->yards[0];
	int64_t household = sm->places[y->households[0]].id;
	size_t i;

	for (i = 0; i < NISSUES; i++) {
		struct wo_route r;

		if (wo_category_by_path(sm->s, issues[i].path, &sm->category[i], sm->f) < 0 ||
		    wo_route(sm->s, sm->category[i], issues[i].type, household, &r, sm->f) < 0)
			return -1;
		sm->want[i] = node_level_parse(r.level);
	}
	return 0;
}

/* The working days of the window and whether deadlines can be counted from each (a calendar is loaded). */
static int load_calendar(struct sim *sm)
{
	int i;

	sm->day0 = local_day(sm->start);
	sm->ndays = local_day(sm->until) - sm->day0 + 2;
	sm->working = xcalloc((size_t)sm->ndays, 1);
	sm->cal_ok = xcalloc((size_t)sm->ndays, 1);
	for (i = 0; i < sm->ndays; i++) {
		int32_t d = sm->day0 + i;
		int64_t due;
		int w;

		if (calendar_is_working_day(sm->s, d, &w, sm->f) == 0 &&
		    calendar_deadline(sm->s, calendar_day_start(d) + 12 * HOUR, CALENDAR_MARGIN, &due, sm->f) == 0) {
			sm->working[i] = (uint8_t)w;
			sm->cal_ok[i] = 1;
			continue;
		}
		if (sm->f->kind == FAULT_INTERNAL)
			return -1;
		fault_clear(sm->f);
		sm->working[i] = calendar_weekday(d) <= 5;
		if (d <= local_day(sm->until))
			sm->c->skipped_days++;
	}
	return 0;
}

/* The plan: how many orders each month, and each order's course. */

/* Hourly shape of intake (local hours 0..23). */
static const uint8_t hotline_hours[24] = { 1, 0, 0, 0, 0, 1, 2, 5, 9, 10, 10, 8, 6, 7, 9, 9, 8, 7, 6, 6, 5, 4, 2, 1 };
static const uint8_t resident_hours[24] = { 1, 0, 0, 0, 0, 0, 1, 3, 5, 6, 6, 5, 5, 5, 6, 6, 5, 5, 6, 8, 8, 7, 4, 2 };
static const uint8_t street_hours[24] = { 0, 0, 0, 0, 0, 0, 0, 2, 6, 9, 9, 7, 4, 4, 8, 9, 8, 5, 3, 2, 1, 0, 0, 0 };
static const uint8_t desk_hours[24] = { 0, 0, 0, 0, 0, 0, 0, 0, 3, 10, 10, 8, 2, 1, 8, 10, 9, 4, 0, 0, 0, 0, 0, 0 };

static int pick_hour(struct rng *r, const uint8_t w[24])
{
	int total = 0, h, x;

	for (h = 0; h < 24; h++)
		total += w[h];
	x = rng_range(r, 0, total - 1);
	for (h = 0; h < 23 && x >= w[h]; h++)
		x -= w[h];
	return h;
}

/* When in month k an order of this channel comes in: the desk and grid members keep office days. */
static int64_t arrival(const struct sim *sm, struct rng *r, int k, enum channel ch)
{
	int32_t first = local_day(sm->month_start[k]), days = local_day(sm->month_start[k + 1]) - first, d;
	const uint8_t *hours = ch == CH_HOTLINE ? hotline_hours : ch == CH_DESK ? desk_hours
			     : ch == CH_RESIDENT ? resident_hours : street_hours;
	int tries;

	for (tries = 0;; tries++) {
		d = first + rng_range(r, 0, days - 1);
		if (tries > 20)
			break;
		if (ch == CH_DESK && !day_working(sm, d))
			continue;
		if (ch == CH_GRID && !day_working(sm, d) && !rng_chance(r, 0.2))
			continue;
		if (ch == CH_HOTLINE && !day_working(sm, d) && !rng_chance(r, 0.75))
			continue;
		break;
	}
	return calendar_day_start(d) + pick_hour(r, hours) * HOUR + rng_range(r, 0, HOUR - 1);
}

static int issue_fits(const struct sim *sm, size_t i, enum channel ch, int month_of_year)
{
	const struct issue *is = &issues[i];

	if (!(is->months & MON(month_of_year)))
		return 0;
	/*
	 * Trusted intake cannot carry what routes from any place (see the top of this file), and a community's
	 * desk, which files inside its own scope, only what it would send down to a courtyard.
	 */
	if ((ch == CH_HOTLINE && sm->want[i] == LEVEL_SUBDISTRICT) || (ch == CH_DESK && sm->want[i] != LEVEL_COURTYARD))
		return 0;
	if (ch == CH_MOBILE && (is->at == AT_HOUSEHOLD || !strcmp(is->type, "consultation")))
		return 0;
	if (ch == CH_GRID && !strcmp(is->type, "consultation"))
		return 0;
	return 1;
}

static int pick_issue(const struct sim *sm, struct rng *r, enum channel ch, int month_of_year)
{
	int total = 0, x;
	size_t i;

	for (i = 0; i < NISSUES; i++)
		if (issue_fits(sm, i, ch, month_of_year))
			total += ch == CH_HOTLINE ? issues[i].hotline : issues[i].local;
	x = rng_range(r, 0, total - 1);
	for (i = 0; i < NISSUES; i++) {
		int w;

		if (!issue_fits(sm, i, ch, month_of_year))
			continue;
		w = ch == CH_HOTLINE ? issues[i].hotline : issues[i].local;
		if (x < w)
			return (int)i;
		x -= w;
	}
	return 0;
}

/* A courtyard, weighted by its households: the hotline hears less from it once its branch works, the desk more. */
static int pick_yard(const struct sim *sm, struct rng *r, int k, int hotline)
{
	double total = 0, x;
	int i;

	for (i = 0; i < sm->nyards; i++) {
		double a = adoption(&sm->yards[i], k);

		total += sm->yards[i].nh * (hotline ? 1.2 - 0.7 * a : 0.15 + a);
	}
	x = rng_unit(r) * total;
	for (i = 0; i < sm->nyards - 1; i++) {
		double a = adoption(&sm->yards[i], k);

		x -= sm->yards[i].nh * (hotline ? 1.2 - 0.7 * a : 0.15 + a);
		if (x < 0)
			break;
	}
	return i;
}

static int type_index(const char *type)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(type_names); i++)
		if (!strcmp(type_names[i], type))
			return (int)i;
	return 0;
}

static int draw_satisfaction(struct rng *r, double dissatisfied, double basically)
{
	double x = rng_unit(r);

	return x < dissatisfied ? 2 : x < dissatisfied + basically ? 1 : 0;
}

/* Everything about one order that is chosen in advance, from its own stream. */
static void plan_order(struct sim *sm, struct agent *a, int k, enum channel ch, enum source src)
{
	struct rng *r = &a->rng;
	double S = smooth(progress_of(sm, k));
	int hot = src == SRC_HOTLINE, trusted = hot || src == SRC_PHONE || src == SRC_WALK_IN;
	const struct issue *is;
	const struct yard *y;
	int household, tries;

	a->month = (uint8_t)k;
	a->channel = (uint8_t)ch;
	a->source = (uint8_t)src;
	a->received = arrival(sm, r, k, ch);
	a->issue = (uint16_t)pick_issue(sm, r, ch, sm->month_of_year[k]);
	is = &issues[a->issue];
	a->want = (uint8_t)sm->want[a->issue];
	/* The caller's household, in a courtyard weighted by its size and its branch's month. */
	a->yard = pick_yard(sm, r, k, hot);
	y = &sm->yards[a->yard];
	household = y->households[rng_range(r, 0, y->nh - 1)];
	for (tries = 0; tries < 8 && !sm->places[household].ncallers; tries++)
		household = y->households[rng_range(r, 0, y->nh - 1)];
	a->household = household;

	a->urgent = strcmp(is->type, "consultation") && rng_chance(r, 0.04);
	a->refuse = !trusted && rng_chance(r, 0.02);
	a->direct = !strcmp(is->type, "consultation") && rng_chance(r, 0.8);
	a->to_yard = rng_chance(r, (hot ? 0.2 : 0.35) + (hot ? 0.75 : 0.63) * adoption(y, k));
	a->ret = rng_chance(r, lerp(0.08, 0.02, S));
	a->ret_ok = rng_chance(r, 0.7);
	a->ext = rng_chance(r, strstr(is->path, "维修") || strstr(is->path, "矛盾") ? 0.12 : 0.04);
	a->ext_ok = rng_chance(r, 0.85);
	a->esc = rng_chance(r, lerp(0.07, 0.03, S));
	a->late = rng_chance(r, hot ? lerp(0.10, 0.025, S) : lerp(0.05, 0.01, S));
	a->near = rng_chance(r, lerp(0.10, 0.03, S));
	a->reject = rng_chance(r, 0.03);
	a->sup_late = rng_chance(r, 0.7);
	a->sup_dis = rng_chance(r, 0.4);
	a->redo = rng_chance(r, 0.75);
	a->sat[0] = (uint8_t)draw_satisfaction(r, hot ? lerp(0.13, 0.035, S) : lerp(0.07, 0.015, S),
					       lerp(0.15, 0.06, S));
	a->sat[1] = (uint8_t)draw_satisfaction(r, 0.1, 0.25);
	a->d_accept = (uint16_t)rng_range(r, 10, 150);
	a->d_dispatch = (uint16_t)rng_range(r, 5, 120);
	a->d_sign = (uint16_t)(rng_chance(r, 0.03) ? rng_range(r, 1500, 3000) : rng_range(r, 10, 300));
	a->d_return = (uint16_t)rng_range(r, 60, 900);
	a->d_decide = (uint16_t)rng_range(r, 60, 480);
	a->d_ext = (uint16_t)rng_range(r, 600, 2400);
	a->d_esc = (uint16_t)rng_range(r, 240, 2000);
	a->d_late = (uint16_t)rng_range(r, 540, 3000);
	a->d_review = (uint16_t)rng_range(r, 60, 1200);
	a->d_callback = (uint16_t)rng_range(r, 120, 1800);
	a->work = rng_unit(r);
	a->st = ST_NONE;
}

/* Volumes: the hotline's 1,500+ falling to 700+, local intake rising as the branches take requests. */
static void plan_months(struct sim *sm, struct rng *r, size_t *hot, size_t *local)
{
	int k;

	for (k = 0; k <= sm->months; k++) {
		double S = smooth(progress_of(sm, k));

		hot[k] = (size_t)lround((1530.0 - 810.0 * S) * (1.0 + (rng_unit(r) - 0.5) * 0.07));
		local[k] = (size_t)lround((200.0 + 620.0 * S) * (1.0 + (rng_unit(r) - 0.5) * 0.1));
	}
}

/* Local intake by source: grid members, residents on the web, couriers and riders, phone, walk-ins. */
static enum source local_source(struct rng *r, enum channel *ch)
{
	double x = rng_unit(r);

	if (x < 0.30)
		return *ch = CH_GRID, SRC_GRID;
	if (x < 0.56)
		return *ch = CH_RESIDENT, SRC_RESIDENT;
	if (x < 0.68)
		return *ch = CH_MOBILE, SRC_MOBILE_GRID;
	if (x < 0.85)
		return *ch = CH_DESK, SRC_PHONE;
	return *ch = CH_DESK, SRC_WALK_IN;
}

static int agent_cmp(const void *a, const void *b)
{
	const struct agent *x = a, *y = b;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void plan_all(struct sim *sm)
{
	struct rng months = { SEED };
	size_t hot[DEMO_MAX_MONTHS + 1], local[DEMO_MAX_MONTHS + 1], cap = 0, j;
	uint32_t idx = 0;
	int k;

	/* Each courtyard branch gets going in its month; the courtyards the article names lead. */
	for (k = 0; k < sm->nyards; k++) {
		struct rng r = { SEED ^ (0x9e37ULL * (uint64_t)(k + 1)) };
		double span = sm->months > 1 ? 0.75 * (sm->months - 1) : 0;

		sm->yards[k].start = rng_unit(&r) * span;
		if (!strcmp(sm->places[sm->yards[k].place].name, "君临天下小区") ||
		    !strcmp(sm->places[sm->yards[k].place].name, "桃花山职工宿舍"))
			sm->yards[k].start = 0;
	}
	plan_months(sm, &months, hot, local);
	for (k = 0; k <= sm->months; k++) {
		size_t n = hot[k] + local[k];

		if (sm->nag + n > cap) {
			cap = (sm->nag + n) * 2;
			sm->ag = xrealloc(sm->ag, cap * sizeof(*sm->ag));
		}
		for (j = 0; j < n; j++) {
			struct agent *a = &sm->ag[sm->nag++];
			enum channel ch = CH_HOTLINE;
			enum source src = SRC_HOTLINE;

			memset(a, 0, sizeof(*a));
			a->idx = idx++;
			a->rng.s = SEED ^ ((uint64_t)a->idx * 0xd1b54a32d192ed03ULL);
			if (j >= hot[k])
				src = local_source(&a->rng, &ch);
			plan_order(sm, a, k, ch, src);
		}
	}
	qsort(sm->ag, sm->nag, sizeof(*sm->ag), agent_cmp);
}

/* Texts. */

struct fill {
	const char *y, *b, *u, *r, *d, *h;
	char f[16], t[8], s[64];
};

static void expand(struct buf *out, const char *tpl, const struct fill *fl)
{
	const char *p;

	for (p = tpl; *p; p++) {
		const char *v = NULL;

		if (p[0] == '{' && p[1] && p[2] == '}') {
			switch (p[1]) {
			case 'y': v = fl->y; break;
			case 'b': v = fl->b; break;
			case 'u': v = fl->u; break;
			case 'r': v = fl->r; break;
			case 'd': v = fl->d; break;
			case 'h': v = fl->h; break;
			case 'f': v = fl->f; break;
			case 't': v = fl->t; break;
			case 's': v = fl->s; break;
			default: break;
			}
		}
		if (v) {
			buf_adds(out, v);
			p += 2;
		} else {
			buf_addch(out, *p);
		}
	}
}

/* The names around the caller's household: its courtyard, building, unit and room. */
static void fill_place(const struct sim *sm, const struct agent *a, struct rng *r, struct fill *fl)
{
	const struct place *h = &sm->places[a->household];
	const struct place *u = h->parent >= 0 ? &sm->places[h->parent] : h;
	const struct place *b = u->parent >= 0 ? &sm->places[u->parent] : u;
	struct fill bare;
	struct buf s = BUF_INIT;

	memset(fl, 0, sizeof(*fl));
	fl->y = sm->places[sm->yards[a->yard].place].name;
	fl->b = b->name;
	fl->u = u->name;
	fl->r = h->name;
	fl->d = PICK(r, durations);
	snprintf(fl->f, sizeof(fl->f), "%d楼", rng_range(r, 4, 6));
	snprintf(fl->t, sizeof(fl->t), "%d", rng_range(r, 11, 16));
	bare = *fl;
	buf_init(&s);
	expand(&s, PICK(r, spots), &bare);
	snprintf(fl->s, sizeof(fl->s), "%s", s.data);
	buf_release(&s);
}

static const char *const *opening(const struct agent *a, size_t *n, struct rng *r)
{
	if (!strcmp(issues[a->issue].type, "consultation")) {
		switch ((enum source)a->source) {
		case SRC_HOTLINE: *n = YL_ARRAY_LEN(ask_hotline); return ask_hotline;
		case SRC_PHONE: *n = YL_ARRAY_LEN(ask_phone); return ask_phone;
		case SRC_WALK_IN: *n = YL_ARRAY_LEN(ask_walk_in); return ask_walk_in;
		default: *n = YL_ARRAY_LEN(ask_resident); return ask_resident;
		}
	}
	switch ((enum source)a->source) {
	case SRC_HOTLINE: *n = YL_ARRAY_LEN(open_hotline); return open_hotline;
	case SRC_RESIDENT: *n = YL_ARRAY_LEN(open_resident); return open_resident;
	case SRC_GRID: *n = YL_ARRAY_LEN(open_grid); return open_grid;
	case SRC_MOBILE_GRID:
		if (rng_chance(r, 0.55)) {
			*n = YL_ARRAY_LEN(open_rider);
			return open_rider;
		}
		*n = YL_ARRAY_LEN(open_courier);
		return open_courier;
	case SRC_PHONE: *n = YL_ARRAY_LEN(open_phone); return open_phone;
	default: *n = YL_ARRAY_LEN(open_walk_in); return open_walk_in;
	}
}

/* The request in the caller's words; never the same text twice in a row. */
static void order_text(struct sim *sm, struct agent *a, const struct fill *fl, struct buf *out)
{
	const struct issue *is = &issues[a->issue];
	struct rng *r = &a->rng;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		const char *const *open;
		size_t nopen, nwhat = 0;

		while (nwhat < YL_ARRAY_LEN(is->what) && is->what[nwhat])
			nwhat++;
		const char *what = is->what[rng_next(r) % nwhat];

		open = opening(a, &nopen, r);
		buf_reset(out);
		buf_adds(out, open[rng_next(r) % nopen]);
		expand(out, what, fl);
		/* A request that already asks ("希望有人出面调解", "请求调解") needs no second ask. */
		if (strstr(what, "希望") || strstr(what, "请求"))
			buf_adds(out, "。");
		else
			buf_adds(out, PICK(r, ask[type_index(is->type)]));
		if (strcmp(out->data, sm->last_text.data) != 0)
			break;
	}
	buf_reset(&sm->last_text);
	buf_adds(&sm->last_text, out->data);
}

/* A reply in the handler's words ({h} by its level). */
static void reply_text(const struct agent *a, enum node_level level, const struct fill *fl, struct rng *r,
		       int consultation_answer, struct buf *out)
{
	const struct issue *is = &issues[a->issue];
	struct fill f = *fl;
	size_t ndone = is->done[1] ? 2 : 1;
	int l = level == LEVEL_COURTYARD ? 0 : level == LEVEL_COMMUNITY ? 1 : 2;

	f.h = PICK(r, handled_by[l]);
	expand(out, is->done[rng_next(r) % ndone], &f);
	if (consultation_answer)
		buf_adds(out, "。");
	else
		buf_adds(out, PICK(r, reply_tail));
}

/* The caller: a resident of the household (the hotline often writes 张女士), or nobody for a patrol's find. */
static void caller_of(const struct sim *sm, const struct agent *a, struct rng *r, char name[48], const char **phone,
		      char phone_buf[16])
{
	const struct place *h = &sm->places[a->household];
	const struct caller *c = NULL;

	name[0] = '\0';
	*phone = NULL;
	if ((a->source == SRC_GRID || a->source == SRC_MOBILE_GRID) && rng_chance(r, 0.7))
		return;
	if (h->ncallers)
		c = &sm->callers[h->first_caller + rng_range(r, 0, h->ncallers - 1)];
	if (c && a->source == SRC_HOTLINE && rng_chance(r, 0.5)) {
		size_t n = (unsigned char)c->name[0] >= 0xe0 ? 3 : 1;

		snprintf(name, 48, "%.*s%s", (int)n, c->name, c->female ? "女士" : "先生");
	} else if (c) {
		snprintf(name, 48, "%s", c->name);
	} else {
		snprintf(name, 48, "%s%s", PICK(r, caller_surnames), rng_chance(r, 0.55) ? "女士" : "先生");
	}
	if (c && c->phone) {
		*phone = c->phone;
	} else {
		snprintf(phone_buf, 16, "1%d%d%04d%04d", rng_range(r, 3, 8), rng_range(r, 0, 9), rng_range(r, 0, 9999),
			 rng_range(r, 0, 9999));
		*phone = phone_buf;
	}
}

/* Acting. */

/* Who acts for the desk (accept, dispatch, returns, extensions, supervision): the subdistrict's desk takes the
 * hotline, 龙泉社区's staff their community's local intake; elsewhere the demo has no account: the system. */
static const struct actor *desk_of(const struct sim *sm, const struct agent *a)
{
	if (a->source == SRC_HOTLINE)
		return account(sm, AC_SUBDISTRICT);
	if (sm->comms[sm->yards[a->yard].community].id == sm->longquan)
		return account(sm, AC_COMMUNITY);
	return NULL;
}

/* Review, callback, redo and close: the same desks (they hold workorder.review). */
static const struct actor *reviewer_of(const struct sim *sm, const struct agent *a)
{
	return desk_of(sm, a);
}

static const struct actor *handler_actor(const struct sim *sm, int64_t handler)
{
	if (handler == sm->junlin_yard)
		return account(sm, AC_COURTYARD);
	if (handler == sm->longquan)
		return account(sm, AC_COMMUNITY);
	if (handler == sm->subdistrict_id)
		return account(sm, AC_SUBDISTRICT);
	return NULL;
}

static const struct actor *creator_of(const struct sim *sm, const struct agent *a)
{
	int longquan = sm->comms[sm->yards[a->yard].community].id == sm->longquan;

	switch ((enum source)a->source) {
	case SRC_PHONE:
	case SRC_WALK_IN: return longquan ? account(sm, AC_COMMUNITY) : NULL;
	case SRC_GRID: return longquan ? account(sm, AC_GRID) : NULL;
	case SRC_MOBILE_GRID: return longquan ? account(sm, AC_RIDER) : NULL;
	default: return NULL;
	}
}

static int64_t community_of(const struct sim *sm, const struct agent *a)
{
	return sm->comms[sm->yards[a->yard].community].id;
}

/* Where the desk sends it: the level routing wants; a courtyard only once its branch takes such work. */
static int64_t target_of(const struct sim *sm, const struct agent *a)
{
	if (a->want == LEVEL_SUBDISTRICT)
		return sm->subdistrict_id;
	if (a->want == LEVEL_COMMUNITY || !a->to_yard)
		return community_of(sm, a);
	return sm->places[sm->yards[a->yard].place].id;
}

static int64_t parent_of(const struct sim *sm, int64_t node)
{
	int i = place_index(sm, node);

	return i >= 0 ? sm->places[i].parent_id : 0;
}

static enum state state_parse(const char *name)
{
	int i;

	for (i = 0; i < NSTATES; i++)
		if (name && !strcmp(name, state_names[i]))
			return (enum state)i;
	return ST_NONE;
}

/* One dated action; the plan never asks for what the state machine refuses, so a refusal stops the load. */
struct step {
	const char *action;
	const struct actor *who;
	const char *opinion;
	int64_t node;
	int days;
	const char *satisfaction;
	int resolved;			/* -1: unsaid */
	enum state then;		/* the state it leads to */
	int64_t handler;		/* the handler after it */
};

static int take(struct sim *sm, struct agent *a, int64_t t, const struct step *st)
{
	struct wo_action act;

	memset(&act, 0, sizeof(act));
	act.action = st->action;
	act.opinion = st->opinion;
	act.node_id = st->node;
	act.days = st->days;
	act.satisfaction = st->satisfaction;
	if (st->resolved >= 0) {
		act.set_resolved = 1;
		act.resolved = st->resolved;
	}
	act.at = t;
	if (wo_transition(sm->s, st->who, a->id, &act, sm->f) < 0) {
		struct fault why = *sm->f;
		char when[40];

		time_format_local(t, when, sizeof(when));
		return fault_set(sm->f, why.kind, why.field[0] ? why.field : NULL, "demo order %lld (%s at %s): %s",
				 (long long)a->id, st->action, when, why.message);
	}
	sm->c->events++;
	a->st = (int8_t)st->then;
	a->handler = st->handler;
	a->since = t;
	if (strcmp(st->action, "sign") && strcmp(st->action, "reply") && strcmp(st->action, "supervise") &&
	    strcmp(st->action, "request_return") && strcmp(st->action, "request_extension"))
		a->deadline = 0;	/* it may have moved */
	return 0;
}

/* The next morning, just after the day's sweep: open orders look again at what the sweeper did. */
static int64_t next_morning(const struct agent *a, int64_t t)
{
	return calendar_day_start(local_day(t) + 1) + SWEEP_AT + 300 + (int64_t)(a->idx % 50) * 60;
}

static void consider(int64_t *next, int64_t at, int64_t t)
{
	if (at <= t)
		at = t + 60;
	if (!*next || at < *next)
		*next = at;
}

/* Minutes of handling after signing, by the handler's level and the source. */
static int64_t work_seconds(const struct agent *a, enum node_level level)
{
	double lo, hi;

	if (level == LEVEL_COURTYARD) {
		lo = a->source == SRC_HOTLINE ? 180 : 45;
		hi = a->source == SRC_HOTLINE ? 2800 : 1500;
	} else if (level == LEVEL_COMMUNITY) {
		lo = 360;
		hi = 3600;
	} else {
		lo = 900;
		hi = 4800;
	}
	return (int64_t)((lo + a->work * a->work * (hi - lo)) * 60);
}

/* When the handler replies: before the deadline as a rule, on its last day (a yellow card) or after it. */
static int64_t reply_at(const struct sim *sm, const struct agent *a, const struct wo_order *o, enum node_level level)
{
	int64_t D = o->deadline, t;
	int hurried = o->escalations || o->redos || o->extensions || a->rejected || a->asked_ext;

	if (D && !hurried && a->late)
		return handler_time(sm, a, level, D + (int64_t)a->d_late * 60);
	if (D && !hurried && a->near)
		return D - 7 * HOUR - 1800 + jitter(a, D, 3600);	/* 16:30 to 17:30 of the last day */
	t = handler_time(sm, a, level, a->since + work_seconds(a, level));
	if (D && t > D - 4 * HOUR) {
		t = D - 7 * HOUR - 1800 + jitter(a, D, 3600);
		if (t < a->since + 1200)
			t = a->since + 1200;
	}
	return t;
}

static enum node_level node_level_of(const struct sim *sm, int64_t node)
{
	int i = place_index(sm, node);

	return i >= 0 ? sm->places[i].level : LEVEL_NONE;
}

/*
 * After an action: when the order's next step can come, without reading it again.  Exact for the steps
 * that depend only on the plan; a lower bound for the handling (decide() looks again then).
 */
static int64_t next_after(const struct sim *sm, const struct agent *a, int64_t t)
{
	enum node_level level = node_level_of(sm, a->handler);
	int64_t at;

	switch ((enum state)a->st) {
	case ST_ACCEPTED: return office_time(sm, a, a->since + (int64_t)a->d_dispatch * 60);
	case ST_ANSWERED:
	case ST_REVIEWED: return office_time(sm, a, a->since + (int64_t)a->d_callback * 60);
	case ST_REPLIED: return office_time(sm, a, a->since + (int64_t)a->d_review * 60);
	case ST_RETURN_REQUESTED: return office_time(sm, a, a->since + (int64_t)a->d_decide * 60);
	case ST_DISSATISFIED:
		return office_time(sm, a, a->since + (a->sup_dis && !a->sup_dis_done ? (int64_t)a->d_review * 30
											     : (int64_t)a->d_decide * 60));
	case ST_DISPATCHED:
		at = handler_time(sm, a, level, a->since + (int64_t)a->d_sign * 60);
		if (a->ret && !a->asked_return && level == LEVEL_COURTYARD) {
			int64_t r = yard_time(a, a->since + (int64_t)a->d_return * 60);

			if (r < at)
				at = r;
		}
		return at;
	case ST_IN_PROGRESS: {
		int64_t w = a->since + work_seconds(a, level);

		if (a->ext && !a->asked_ext && a->since + (int64_t)a->d_ext * 60 < w)
			w = a->since + (int64_t)a->d_ext * 60;
		if (a->esc && !a->escalated && a->since + (int64_t)a->d_esc * 60 < w)
			w = a->since + (int64_t)a->d_esc * 60;
		return handler_time(sm, a, level, w);
	}
	default: return t + 60;
	}
}

static void fill_for(const struct sim *sm, const struct agent *a, uint64_t salt, struct rng *r, struct fill *fl)
{
	r->s = a->rng.s ^ (salt * 0x9e3779b97f4a7c15ULL);
	fill_place(sm, a, r, fl);
}

/* The intake: the order as its source files it. */
static int intake(struct sim *sm, struct agent *a, int64_t t, int64_t *next)
{
	const struct issue *is = &issues[a->issue];
	const struct place *hh = &sm->places[a->household];
	const struct place *unit = &sm->places[hh->parent];
	const struct place *bld = &sm->places[unit->parent];
	int trusted = a->channel == CH_HOTLINE || a->channel == CH_DESK;
	struct wo_input in;
	struct fill fl;
	struct buf text = BUF_INIT, address = BUF_INIT;
	char name[48], phone_buf[16], external[48];
	const char *phone;
	int64_t place;
	int rc;

	fill_place(sm, a, &a->rng, &fl);
	buf_init(&text);
	buf_init(&address);
	order_text(sm, a, &fl, &text);
	caller_of(sm, a, &a->rng, name, &phone, phone_buf);
	buf_addf(&address, "济南市章丘区明水街道%s%s", sm->places[sm->comms[sm->yards[a->yard].community].place].name,
		 fl.y);
	place = sm->places[sm->yards[a->yard].place].id;
	if (is->at != AT_YARD) {
		buf_addf(&address, "%s", bld->name);
		place = bld->id;
	}
	if (is->at == AT_HOUSEHOLD) {
		buf_addf(&address, "%s%s", unit->name, hh->name);
		place = hh->id;
	}
	if (trusted)	/* the desk reads the place from the address (top of this file) */
		place = a->want == LEVEL_COURTYARD ? community_of(sm, a) : sm->subdistrict_id;
	memset(&in, 0, sizeof(in));
	in.source = source_names[a->source];
	in.type = is->type;
	in.category_id = sm->category[a->issue];
	in.urgency = a->urgent ? "urgent" : "normal";
	in.node_id = place;
	in.address = address.data;
	in.caller_name = name[0] ? name : NULL;
	in.caller_phone = phone;
	in.confidential = !strcmp(is->type, "report") ? rng_chance(&a->rng, 0.6)
			: strstr(is->path, "矛盾") ? rng_chance(&a->rng, 0.15) : rng_chance(&a->rng, 0.02);
	in.text = text.data;
	in.received_at = a->received;
	if (a->source == SRC_HOTLINE) {
		int32_t d = local_day(a->received);
		char day[11];

		if (d != sm->hot_day) {
			sm->hot_day = d;
			sm->hot_seq = rng_range(&a->rng, 100, 400);
		}
		sm->hot_seq += rng_range(&a->rng, 1, 30);
		calendar_day_format(d, day);
		snprintf(external, sizeof(external), "JN12345-%.4s%.2s%.2s-%06d", day, day + 5, day + 8, sm->hot_seq);
		in.external_no = external;
	}
	rc = wo_create(sm->s, creator_of(sm, a), &in, &a->id, NULL, sm->f);
	if (rc < 0) {
		struct fault why = *sm->f;

		fault_set(sm->f, why.kind, why.field[0] ? why.field : NULL, "a demo order of %s: %s",
			  source_names[a->source], why.message);
	} else {
		sm->c->orders++;
		sm->c->events++;
		sm->c->by_source[a->source]++;
		sm->c->confidential += in.confidential != 0;
		if (a->source == SRC_HOTLINE)
			sm->c->hotline_by_month[a->month]++;
		else
			sm->c->local_by_month[a->month]++;
		a->st = trusted ? ST_ACCEPTED : ST_RECEIVED;
		a->since = t;
		a->handler = 0;
		*next = office_time(sm, a, t + (int64_t)(trusted ? a->d_dispatch : a->d_accept) * 60);
	}
	buf_release(&text);
	buf_release(&address);
	return rc;
}

static enum node_level level_of(const char *name)
{
	return name ? node_level_parse(name) : LEVEL_NONE;
}

/* The next step of an order's plan, at t: takes it when due, else says when to look again (*next). */
static int decide(struct sim *sm, struct agent *a, const struct wo_order *o, int64_t t, int64_t *next)
{
	const struct actor *desk = desk_of(sm, a), *reviewer = reviewer_of(sm, a);
	const struct actor *handler = handler_actor(sm, o->handler_node_id);
	enum node_level level = level_of(o->handler_level);
	const struct issue *is = &issues[a->issue];
	struct step st;
	struct buf op = BUF_INIT;
	struct fill fl;
	struct rng r;
	int64_t due;
	int rc = 0, acted = 0;

	memset(&st, 0, sizeof(st));
	st.resolved = -1;
	st.then = (enum state)a->st;
	st.handler = o->handler_node_id;
	buf_init(&op);
	fill_for(sm, a, (uint64_t)t, &r, &fl);
	*next = 0;
	switch ((enum state)a->st) {
	case ST_RECEIVED:
		due = office_time(sm, a, a->since + (int64_t)a->d_accept * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		st.who = desk;
		if (a->refuse) {
			st.action = "refuse";
			st.opinion = PICK(&r, op_refuse);
			st.then = ST_CLOSED;
		} else {
			st.action = "accept";
			st.then = ST_ACCEPTED;
		}
		acted = 1;
		break;
	case ST_ACCEPTED:
		due = office_time(sm, a, a->since + (int64_t)a->d_dispatch * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		acted = 1;
		/* 直办: the desks with an account answer consultations themselves. */
		if (a->direct && desk && !o->returns) {
			reply_text(a, desk->scope_node_id == sm->longquan ? LEVEL_COMMUNITY : LEVEL_SUBDISTRICT, &fl, &r, 1,
				   &op);
			a->answered = 1;
			st.who = desk;
			st.action = "answer";
			st.opinion = op.data;
			st.then = ST_ANSWERED;
			st.handler = desk->scope_node_id;
			break;
		}
		st.action = "dispatch";
		st.node = o->returns ? community_of(sm, a) : target_of(sm, a);
		st.who = within(sm, desk, st.node) ? desk : NULL;
		st.then = ST_DISPATCHED;
		st.handler = st.node;
		break;
	case ST_DISPATCHED:
		/* 退单: a courtyard that cannot take it asks, within the return window, before signing. */
		if (a->ret && !a->asked_return && level == LEVEL_COURTYARD && !o->returns) {
			due = yard_time(a, a->since + (int64_t)a->d_return * 60);
			if (o->return_deadline && (due > o->return_deadline || t > o->return_deadline)) {
				a->asked_return = 1;
			} else if (t >= due) {
				a->asked_return = 1;
				st.who = handler;
				st.action = "request_return";
				st.opinion = PICK(&r, op_return);
				st.then = ST_RETURN_REQUESTED;
				acted = 1;
				break;
			} else {
				consider(next, due, t);
				break;
			}
		}
		due = handler_time(sm, a, level, a->since + (int64_t)a->d_sign * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		st.who = handler;
		st.action = "sign";
		st.then = ST_IN_PROGRESS;
		acted = 1;
		break;
	case ST_RETURN_REQUESTED:
		due = office_time(sm, a, a->since + (int64_t)a->d_decide * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		st.who = desk;
		acted = 1;
		if (a->ret_ok) {
			/* Approved: the community takes it over. */
			st.action = "approve_return";
			st.node = community_of(sm, a);
			st.who = within(sm, desk, st.node) ? desk : NULL;
			st.then = ST_DISPATCHED;
			st.handler = st.node;
		} else {
			st.action = "refuse_return";
			st.opinion = PICK(&r, op_refuse_return);
			st.then = o->return_from && !strcmp(o->return_from, "in_progress") ? ST_IN_PROGRESS : ST_DISPATCHED;
		}
		break;
	case ST_IN_PROGRESS: {
		int64_t when;

		/* An extension waits for the desk. */
		if (o->extension_days_requested > 0) {
			due = office_time(sm, a, a->ext_at + (int64_t)a->d_decide * 60);
			if (t < due) {
				consider(next, due, t);
				break;
			}
			st.who = desk;
			if (a->ext_ok && calendar_covers(sm, o->deadline, o->extension_days_requested)) {
				st.action = "approve_extension";
			} else {
				st.action = "refuse_extension";
				st.opinion = PICK(&r, op_refuse_extension);
			}
			acted = 1;
			break;
		}
		/* 延期: asked before the deadline, once. */
		if (a->ext && !a->asked_ext && !o->extensions && !o->redos) {
			when = handler_time(sm, a, level, a->since + (int64_t)a->d_ext * 60);
			if (!o->deadline || when > o->deadline - 600 || t > o->deadline - 600 ||
			    o->extension_days_granted >= 10) {
				a->asked_ext = 1;
			} else if (t >= when) {
				int left = 10 - o->extension_days_granted, days = rng_range(&r, 3, left < 7 ? left : 7);

				a->asked_ext = 1;
				if (!calendar_covers(sm, o->deadline, days))
					goto reply;	/* next year's calendar is not loaded yet */
				a->ext_at = t;
				buf_addf(&op, "%s，申请延期%d个工作日", PICK(&r, op_extension), days);
				st.who = handler;
				st.action = "request_extension";
				st.opinion = op.data;
				st.days = days;
				acted = 1;
				break;
			} else {
				consider(next, when, t);
			}
		}
		/* Escalation by the handler's own choice: the courtyard (or community) cannot settle it. */
		if (a->esc && !a->escalated && !o->escalations && (level == LEVEL_COURTYARD || level == LEVEL_COMMUNITY)) {
			when = handler_time(sm, a, level, a->since + (int64_t)a->d_esc * 60);
			if (t >= when) {
				a->escalated = 1;
				st.who = handler;
				st.action = "escalate";
				st.opinion = PICK(&r, op_escalate[level == LEVEL_COURTYARD ? 0 : 1]);
				st.then = ST_DISPATCHED;
				st.handler = parent_of(sm, o->handler_node_id);
				acted = 1;
				break;
			}
			consider(next, when, t);
		}
		/* 督办 of an overdue order. */
		if (a->sup_late && !a->supervised && o->deadline) {
			when = office_time(sm, a, o->deadline + 1 + (int64_t)a->d_decide * 60);
			if (t > o->deadline && t >= when) {
				a->supervised = 1;
				st.who = desk;
				st.action = "supervise";
				st.opinion = PICK(&r, op_supervise_late);
				acted = 1;
				break;
			}
			if (when > t)
				consider(next, when, t);
		}
reply:
		when = reply_at(sm, a, o, level);
		if (t < when) {
			consider(next, when, t);
			break;
		}
		if (o->redos)
			buf_adds(&op, PICK(&r, op_redo_reply));
		else if (a->rejected)
			buf_adds(&op, "补充回复：");
		if (!o->redos)
			reply_text(a, level, &fl, &r, !strcmp(is->type, "consultation"), &op);
		else
			buf_adds(&op, "。");
		st.who = handler;
		st.action = "reply";
		st.opinion = op.data;
		st.then = ST_REPLIED;
		acted = 1;
		break;
	}
	case ST_REPLIED:
		due = office_time(sm, a, a->since + (int64_t)a->d_review * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		st.who = reviewer;
		if (a->reject && !a->rejected) {
			a->rejected = 1;
			st.action = "reject_review";
			st.opinion = PICK(&r, op_reject_review);
			st.then = ST_IN_PROGRESS;
		} else {
			st.action = "approve_review";
			st.then = ST_REVIEWED;
		}
		acted = 1;
		break;
	case ST_ANSWERED:
	case ST_REVIEWED: {
		int sat = o->redos ? a->sat[1] : a->sat[0];

		due = office_time(sm, a, a->since + (int64_t)a->d_callback * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		/* A consultation answered at once is rarely found wanting. */
		if (a->st == ST_ANSWERED && sat == 2 && rng_chance(&r, 0.7))
			sat = 1;
		st.who = reviewer;
		st.action = "callback";
		st.satisfaction = sat == 0 ? "satisfied" : sat == 1 ? "basically_satisfied" : "dissatisfied";
		st.resolved = sat == 2 ? 0 : sat == 0 || rng_chance(&r, 0.7) ? 1 : -1;
		st.opinion = PICK(&r, op_callback[sat]);
		st.then = sat == 2 ? ST_DISSATISFIED : ST_CLOSED;
		acted = 1;
		break;
	}
	case ST_DISSATISFIED:
		if (a->sup_dis && !a->sup_dis_done) {
			due = office_time(sm, a, a->since + (int64_t)a->d_review * 30);
			if (t < due) {
				consider(next, due, t);
				break;
			}
			a->sup_dis_done = 1;
			st.who = desk;
			st.action = "supervise";
			st.opinion = PICK(&r, op_supervise_dissatisfied);
			acted = 1;
			break;
		}
		due = office_time(sm, a, a->since + (int64_t)a->d_decide * 60);
		if (t < due) {
			consider(next, due, t);
			break;
		}
		st.who = reviewer;
		if (!o->redos && a->redo) {
			st.action = "redo";
			st.opinion = PICK(&r, op_redo);
			st.then = ST_IN_PROGRESS;
		} else {
			st.action = "close";
			st.opinion = PICK(&r, op_close);
			st.then = ST_CLOSED;
		}
		acted = 1;
		break;
	default:
		break;
	}
	if (acted) {
		rc = take(sm, a, t, &st);
		*next = 0;
		if (rc == 0 && a->st != ST_CLOSED)
			consider(next, next_after(sm, a, t), t);
	}
	/*
	 * Open at a handler and due (or of unknown deadline): look again after the next morning's sweep, which
	 * may have moved it up a level.  (Reading it is what keeps the plan right; this only wakes the new
	 * handler sooner.)
	 */
	if (rc == 0 && (a->st == ST_DISPATCHED || a->st == ST_IN_PROGRESS || a->st == ST_RETURN_REQUESTED)) {
		int64_t m = next_morning(a, t);

		if ((!a->deadline || m > a->deadline) && (!*next || m < *next))
			*next = m;
	}
	buf_release(&op);
	return rc;
}

/* Wakes an order: its intake, or the next step of its plan after reading it as it stands. */
static int step(struct sim *sm, struct agent *a, int64_t t, int64_t *next)
{
	struct wo_order o;
	enum state now;
	int rc;

	*next = 0;
	if (!day_calendar(sm, local_day(t)))
		return 0;	/* no calendar: nothing that counts deadlines can happen */
	if (!a->id)
		return intake(sm, a, t, next);
	if (wo_get(sm->s, a->id, &o, sm->f) < 0)
		return -1;
	now = state_parse(o.state);
	a->deadline = o.deadline;
	if (now != (enum state)a->st || o.handler_node_id != a->handler) {
		/* The sweeper moved it (an escalation): the new handler's time starts at the dispatch. */
		a->st = (int8_t)now;
		a->handler = o.handler_node_id;
		a->since = now == ST_DISPATCHED && o.dispatched_at ? o.dispatched_at : t;
	}
	rc = decide(sm, a, &o, t, next);
	wo_order_release(&o);
	return rc;
}

/* The wakes, soonest first (ties: the order planned first). */

static int wake_before(const struct wake *x, const struct wake *y)
{
	return x->t < y->t || (x->t == y->t && x->agent < y->agent);
}

static void heap_push(struct sim *sm, int64_t t, uint32_t agent)
{
	size_t i;

	if (sm->nheap == sm->capheap) {
		sm->capheap = sm->capheap ? sm->capheap * 2 : 1024;
		sm->heap = xrealloc(sm->heap, sm->capheap * sizeof(*sm->heap));
	}
	i = sm->nheap++;
	sm->heap[i].t = t;
	sm->heap[i].agent = agent;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		struct wake tmp;

		if (!wake_before(&sm->heap[i], &sm->heap[up]))
			break;
		tmp = sm->heap[up];
		sm->heap[up] = sm->heap[i];
		sm->heap[i] = tmp;
		i = up;
	}
}

static struct wake heap_pop(struct sim *sm)
{
	struct wake top = sm->heap[0];
	size_t i = 0;

	sm->heap[0] = sm->heap[--sm->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct wake tmp;

		if (l < sm->nheap && wake_before(&sm->heap[l], &sm->heap[m]))
			m = l;
		if (r < sm->nheap && wake_before(&sm->heap[r], &sm->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = sm->heap[m];
		sm->heap[m] = sm->heap[i];
		sm->heap[i] = tmp;
		i = m;
	}
	return top;
}

/* The day's sweep, as the server's sweeper would have run it: cards and escalations by the configured rules. */
static int sweep_at(struct sim *sm, int64_t now, const struct tn_sweep_policy *policy)
{
	struct tn_sweep_report rep;

	if (tn_sweep(sm->s, now, policy, &rep, sm->f) < 0)
		return -1;
	if (rep.errors) {
		char when[40];

		time_format_local(now, when, sizeof(when));
		return fault_set(sm->f, rep.first_error.kind ? rep.first_error.kind : FAULT_INTERNAL, NULL,
				 "the sweep at %s failed on order %lld: %s", when, (long long)rep.first_error_order,
				 rep.first_error.message);
	}
	sm->c->sweeps++;
	sm->c->events += (size_t)(rep.yellow + rep.red + rep.escalated);
	return 0;
}

static void month_progress(struct sim *sm, int64_t t)
{
	while (sm->month_done < (size_t)sm->months + 1 && t >= sm->month_start[sm->month_done + 1]) {
		sm->month_done++;
		if (sm->pr && sm->pr->fn)
			sm->pr->fn(sm->pr->ctx, sm->month_done, (size_t)sm->months + 1);
	}
}

static int run(struct sim *sm)
{
	struct tn_sweep_policy policy;
	int32_t sweep_day = sm->day0;
	size_t i;

	if (tn_sweep_policy_load(sm->s, &policy, sm->f) < 0)
		return -1;
	for (i = 0; i < sm->nag; i++)
		if (sm->ag[i].received <= sm->until)
			heap_push(sm, sm->ag[i].received, (uint32_t)i);
	while (sm->nheap && sm->heap[0].t <= sm->until) {
		struct wake w;
		int64_t next;

		/* The sweeps due before this moment, each at its own instant. */
		while (calendar_day_start(sweep_day) + SWEEP_AT <= sm->heap[0].t) {
			if (day_calendar(sm, sweep_day) && sweep_at(sm, calendar_day_start(sweep_day) + SWEEP_AT, &policy) < 0)
				return -1;
			sweep_day++;
		}
		w = heap_pop(sm);
		month_progress(sm, w.t);
		if (step(sm, &sm->ag[w.agent], w.t, &next) < 0)
			return -1;
		if (next && next <= sm->until)
			heap_push(sm, next, w.agent);
	}
	while (calendar_day_start(sweep_day) + SWEEP_AT <= sm->until) {
		if (day_calendar(sm, sweep_day) && sweep_at(sm, calendar_day_start(sweep_day) + SWEEP_AT, &policy) < 0)
			return -1;
		sweep_day++;
	}
	month_progress(sm, sm->month_start[sm->months + 1]);
	return 0;
}

/* The counts: states from the orders still open, the rest from the figures (stats.h) of the window. */
static int count_orders(struct sim *sm)
{
	struct demo_order_counts *c = sm->c;
	struct wo_stats ws;
	char from[11], to[11];
	size_t i;

	for (i = 0; i < sm->nag; i++) {
		const struct agent *a = &sm->ag[i];
		struct wo_order o;
		enum state st;

		if (!a->id)
			continue;
		c->answered += a->answered;
		if (a->st == ST_CLOSED) {
			c->by_state[ST_CLOSED]++;
			continue;
		}
		if (wo_get(sm->s, a->id, &o, sm->f) < 0)
			return -1;
		st = state_parse(o.state);
		if (st != ST_NONE)
			c->by_state[st]++;
		wo_order_release(&o);
	}
	for (i = 0; i <= (size_t)sm->months; i++) {
		calendar_day_format(local_day(sm->month_start[i]), from);
		calendar_day_format(i < (size_t)sm->months ? local_day(sm->month_start[i + 1]) - 1 : local_day(sm->until),
				    to);
		if (stats_compute(sm->s, sm->subdistrict_id, from, to, &ws, sm->f) < 0)
			return -1;
		c->completed_by_month[i] = (size_t)ws.c.completed;
		c->courtyard_by_month[i] = (size_t)ws.c.settled_courtyard;
		wo_stats_release(&ws);
	}
	calendar_day_format(sm->day0, from);
	calendar_day_format(local_day(sm->until), to);
	if (stats_compute(sm->s, sm->subdistrict_id, from, to, &ws, sm->f) < 0)
		return -1;
	c->settled_courtyard = (size_t)ws.c.settled_courtyard;
	c->settled_community = (size_t)ws.c.settled_community;
	c->settled_subdistrict = (size_t)ws.c.settled_subdistrict;
	c->yellow_cards = (size_t)ws.c.yellow_cards;
	c->red_cards = (size_t)ws.c.red_cards;
	c->escalations = (size_t)ws.c.escalations;
	c->returns = (size_t)ws.c.returns;
	c->extensions = (size_t)ws.c.extensions;
	c->redos = (size_t)ws.c.redos;
	c->supervisions = (size_t)ws.c.supervisions;
	wo_stats_release(&ws);
	return 0;
}

static void sim_release(struct sim *sm)
{
	int k;

	for (k = 0; k < sm->nyards; k++)
		free(sm->yards[k].households);
	free(sm->yards);
	free(sm->comms);
	free(sm->places);
	free(sm->callers);
	free(sm->working);
	free(sm->cal_ok);
	free(sm->ag);
	free(sm->heap);
	buf_release(&sm->last_text);
	node_list_release(&sm->nodes);
	person_list_release(&sm->persons);
}

/*
 * Where the simulation can end: until, or the last moment before it from which deadlines can be counted.
 * A year not loaded is counted on the provisional calendar (calendar.h), so this moves until back only when
 * the calendar cannot be read at all (the dates' range, 1900 to 2200, or a store that fails).
 */
static int calendar_end(struct sim *sm)
{
	int32_t d = local_day(sm->until), k;

	if (calendar_covers(sm, sm->until, CALENDAR_MARGIN))
		return 0;
	for (k = d - 1; k > d - 400; k--) {
		int64_t end = calendar_day_start(k + 1) - 1;

		if (calendar_covers(sm, end, CALENDAR_MARGIN)) {
			sm->until = end;
			sm->c->calendar_ended = 1;
			return 0;
		}
	}
	return fault_set(sm->f, FAULT_CONFLICT, "until",
			 "no working-day calendar is loaded for the demo's year: load share/calendar/%d.csv "
			 "(yuanluo calendar load)", calendar_day_year(d));
}

/* The months of the window: months complete months, then the month of until. */
static void window(struct sim *sm)
{
	char today[11];
	int y, m, k;

	calendar_day_format(local_day(sm->until), today);
	y = atoi(today);
	m = atoi(today + 5);
	for (k = sm->months; k >= 0; k--) {
		sm->month_start[k] = calendar_day_start(calendar_day_from_ymd(y, m, 1));
		sm->month_of_year[k] = m;
		snprintf(sm->c->month[k], sizeof(sm->c->month[k]), "%04d-%02d", y, m);
		if (k == sm->months) {
			int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;

			sm->month_start[k + 1] = calendar_day_start(calendar_day_from_ymd(ny, nm, 1));
		}
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	sm->start = sm->month_start[0];
	sm->c->months = (size_t)sm->months + 1;
}

int demo_orders(struct store *s, int months, int64_t until, const struct demo_progress *pr,
		struct demo_order_counts *counts, struct fault *f)
{
	struct demo_order_counts local;
	struct sim sm;
	int64_t now = time_now_us() / 1000000;
	int rc, own = !store_in_transaction(s);

	if (months < 1 || months > DEMO_MAX_MONTHS)
		return fault_set(f, FAULT_INVALID, "months", "months must be from 1 to %d", DEMO_MAX_MONTHS);
	if (until > now)
		return fault_set(f, FAULT_INVALID, "until", "the demo's orders cannot end in the future");
	memset(&sm, 0, sizeof(sm));
	memset(&local, 0, sizeof(local));
	sm.s = s;
	sm.f = f;
	sm.c = counts ? counts : &local;
	memset(sm.c, 0, sizeof(*sm.c));
	sm.pr = pr;
	sm.until = until ? until : now;
	sm.months = months;
	buf_init(&sm.last_text);
	if (calendar_end(&sm) < 0) {
		buf_release(&sm.last_text);
		return -1;
	}
	sm.c->until = sm.until;
	window(&sm);
	/*
	 * Inside the caller's transaction, no level of its own: a savepoint held open for the whole simulation
	 * makes SQLite keep every page since in its sub-journal, and each of the engine's own savepoints walks
	 * that journal when released (quadratic).  The caller rolls back what a failure leaves.
	 */
	if (own && (rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (load_tree(&sm, calendar_day_year(local_day(sm.until))) < 0 || load_actors(&sm) < 0 ||
	    load_routes(&sm) < 0 || load_calendar(&sm) < 0)
		goto fail;
	plan_all(&sm);
	/* The figures' rollups follow every write (the engine calls stats_on_write()): nothing to rebuild. */
	if (run(&sm) < 0 || count_orders(&sm) < 0)
		goto fail;
	if (own && (rc = store_commit(s)) != STORE_OK) {
		sim_release(&sm);
		return store_fault(s, rc, f);
	}
	sim_release(&sm);
	return 0;
fail:
	if (own)
		store_rollback(s);
	sim_release(&sm);
	return -1;
}
