/*
 * demo.c - the Mingshui demo data set, built through the domain functions.
 *
 * Every random choice comes from one splitmix64 stream with a fixed seed, drawn
 * in a fixed order, so the data are the same on every run.  Places are built
 * courtyard by courtyard: nodes, party organisations, residents, then the
 * people who hold roles there; community-level roles and grids follow each
 * community.  Role holders are picked among the residents, so the story counts
 * of the 桃花山 dormitory (25 party members, 41 volunteers) stay exact.
 */
#include "demo/demo.h"
#include "org/org.h"
#include "people/people.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 0x4d696e6773687569ULL	/* "Mingshui" */
#define COUNTY_DIVISION "370181"	/* 章丘区 */
#define SUBDISTRICT_DIVISION "001"	/* 明水街道 */
#define ADULT_BORN_BY 2006		/* born this year or earlier: may hold a role */

/* The generator. */

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

/* A whole number in [lo, hi]. */
static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_chance(struct rng *r, int percent)
{
	return (int)(rng_next(r) % 100) < percent;
}

#define PICK(r, arr) ((arr)[rng_next(r) % YL_ARRAY_LEN(arr)])

/* Word lists. */

struct community_spec {
	const char *name;
	int courtyards;
	const char *road;
};

/* The first five are the communities the article names; 15 urban communities, 75 courtyards in all. */
static const struct community_spec communities[] = {
	{ "龙泉社区", 6, "龙泉大道" },	  { "桃花山社区", 6, "桃花山路" }, { "百脉泉社区", 6, "百脉泉路" },
	{ "桃花山西区社区", 5, "桃花山西路" }, { "御泉社区", 5, "御泉路" },	    { "东关社区", 5, "东关大街" },
	{ "西关社区", 5, "西关大街" },	  { "清照社区", 5, "清照路" },	    { "明湖社区", 5, "明湖路" },
	{ "绣水社区", 5, "绣水大街" },	  { "汇泉社区", 5, "汇泉路" },	    { "眼明泉社区", 4, "眼明泉街" },
	{ "翠屏社区", 5, "翠屏山路" },	  { "东麓社区", 4, "东麓路" },	    { "北园社区", 4, "北园路" },
};

/* Courtyards the article names, placed at the start of their community. */
static const struct {
	int community;
	const char *name;
	const char *kind;
} named_courtyards[] = {
	{ 0, "君临天下小区", "residential" },
	{ 1, "桃花山职工宿舍", "dormitory" },	/* the story courtyard: 25 party members, 41 volunteers */
	{ 2, "香港街商圈联盟", "business_alliance" },
	{ 3, "公路局宿舍", "dormitory" },
	{ 4, "一职专宿舍", "dormitory" },
	{ 5, "武装部宿舍", "dormitory" },
};

static const char *const courtyard_names[] = {
	"绣水花园", "明珠小区", "泉城御景", "福泰新都", "东方名居", "翡翠郡", "书香门第", "阳光花园", "金域华府",
	"锦绣华庭", "龙山小区", "清照苑", "百合园", "水岸名居", "翠湖小区", "鑫苑小区", "康馨苑", "丽景花园",
	"世纪花园", "华府小区", "泉韵花园", "汇泉小区", "实验中学宿舍", "人民医院宿舍", "供电公司宿舍", "粮食局宿舍",
	"教师公寓", "水利局宿舍", "明水花园", "和园小区", "东岭小区", "西苑小区", "嘉和园", "御泉华府", "泉景天沅",
	"桃源小区", "银座花园", "绿城百合", "名士豪庭", "山水华庭", "银河小区", "彩虹小区", "福康小区", "幸福苑",
	"安居小区", "文昌苑", "广电宿舍", "邮电宿舍", "法院宿舍", "税务局宿舍", "建设局宿舍", "东方花园", "翠屏小区",
	"眼明泉小区", "百脉花园", "龙泉苑", "清河小区", "新世纪小区", "枫林苑", "盛世华庭", "富源小区", "金泉小区",
	"秀水人家", "凤凰城", "玉泉小区", "恒泰小区", "锦华小区", "明湖花园", "北园小区", "翠园小区",
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
	"马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈",
	"曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "潘", "杜", "戴", "夏", "田",
	"任", "姜", "范", "方", "石", "姚", "谭", "邹", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "秦", "史",
	"侯", "邵", "孟", "段", "尹", "常", "武", "乔", "贺", "亓", "宁", "牛", "耿", "焦",
};

/* Given names as the generations chose them: born before 1965, before 1990, and since. */
static const char *const male_given[3][32] = {
	{ "建国", "国庆", "建华", "建军", "国强", "志强", "永刚", "德胜", "振华", "长林", "玉林", "春生", "庆华", "学军",
	  "卫东", "立新", "树林", "宝山", "金山", "福贵", "连生", "文忠", "洪亮", "兴旺", "广田", "德明", "光明", "和平",
	  "胜利", "刚", "强", "军" },
	{ "海涛", "东升", "晓峰", "伟", "磊", "涛", "鹏", "斌", "杰", "勇", "波", "军伟", "志刚", "建伟", "海波", "文博",
	  "庆东", "新华", "春雷", "明亮", "立军", "成林", "晓东", "国栋", "宏伟", "振宇", "洪涛", "俊杰", "凯", "健",
	  "亮", "超" },
	{ "浩宇", "子轩", "宇航", "博文", "皓轩", "俊熙", "浩然", "梓豪", "一鸣", "天宇", "子豪", "晨阳", "宇", "浩",
	  "鑫", "哲", "昊", "睿", "泽宇", "嘉豪", "明轩", "奕辰", "子墨", "铭", "航", "晨", "阳", "帅", "鹏飞", "旭",
	  "瑞", "凯文" },
};

static const char *const female_given[3][32] = {
	{ "秀英", "桂兰", "玉兰", "秀兰", "淑珍", "凤英", "桂英", "秀珍", "玉珍", "桂芳", "兰英", "春兰", "淑华", "素芬",
	  "玉梅", "秀云", "凤兰", "金凤", "爱华", "荣", "英", "兰", "芳", "珍", "玉华", "秀芳", "桂珍", "淑英", "玉英",
	  "素珍", "凤芝", "玉芝" },
	{ "丽娟", "红梅", "晓燕", "静", "敏", "丽", "霞", "燕", "艳", "玲", "春燕", "雪梅", "丽华", "海燕", "秀梅", "晓红",
	  "红霞", "丽萍", "美玲", "慧", "娟", "萍", "晓丽", "翠萍", "亚男", "红艳", "海霞", "丽丽", "晓梅", "艳红",
	  "金玲", "文静" },
	{ "欣怡", "佳怡", "雨涵", "梦琪", "思雨", "子涵", "诗涵", "梓萱", "婷", "倩", "颖", "琳", "雪", "悦", "可馨",
	  "雨欣", "佳琪", "一诺", "语桐", "若曦", "晓雯", "梦瑶", "雅琪", "心怡", "欣然", "佳欣", "紫涵", "静怡",
	  "晨曦", "梦洁", "思琪", "怡然" },
};

static const char *const phone_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
	"155", "156", "157", "158", "159", "177", "180", "182", "183", "185", "186", "187", "188", "189", "199",
};

/* Where in-service party members (在职党员) hold their membership. */
static const char *const outside_branches[] = {
	"章丘区教育和体育局机关党支部", "章丘区人民医院第二党支部", "国网章丘供电公司党支部",
	"章丘农商银行机关党支部",	"章丘区公路事业发展中心党支部", "章丘区人武部机关党支部",
	"章丘区税务局第一党支部",	"章丘区实验中学党支部",
};

static const char *const rider_platforms[] = { "美团", "饿了么" };
static const char *const courier_platforms[] = { "顺丰", "京东", "中通" };

/* 三长四员 as configured in the schema's role set, less the building and unit heads placed per building. */
static const char *const courtyard_roles[] = { "courtyard_head", "propagandist", "mediator", "safety_officer",
					       "sanitation_officer" };

/* The data being built. */

struct resident {
	int64_t id;
	char name[24];
	const char *gender;
	int birth_year;
	char phone[16];			/* "" when none */
	int household;			/* index in the courtyard */
	int party;
	int in_service;			/* membership held by a branch outside the tree */
	const char *tags[2];
	size_t ntags;
	int busy;			/* already holds a courtyard role */
};

struct household {
	int64_t id;
	int building, unit;
	int occupied;
	int central;			/* index of its central household, -1: none; itself when central */
	int head;			/* resident index of its first resident, -1: none */
};

struct building {
	int64_t id;
	int64_t group_id;		/* building party group */
	int nunits;
	int64_t unit_ids[4];
	int first_unit_hh[4], unit_hh[4];
	int first_hh, nhh;
};

struct courtyard {
	const char *name;
	const char *kind;
	int story;			/* the 桃花山 dormitory of the article */
	char code[32];
	int64_t id, branch_id;
	int64_t secretary;		/* person id */
	struct building *b;
	int nb;
	struct household *h;
	int nh, hcap;
	struct resident *r;
	int nr, rcap;
};

struct demo {
	struct store *s;
	struct rng rng;
	struct demo_counts *c;
	struct fault *f;
	const struct demo_progress *pr;
	size_t yards_done, yards_total;
	size_t next_name;		/* next unused name of courtyard_names */
	int64_t subdistrict_id, committee_id;
};

static void date_between(struct rng *r, int y0, int y1, char out[11])
{
	snprintf(out, 11, "%04d-%02d-%02d", rng_range(r, y0, y1), rng_range(r, 1, 12), rng_range(r, 1, 28));
}

static void person_name(struct rng *r, const char *surname, const char *gender, int birth_year, char *out,
			size_t outlen)
{
	int era = birth_year < 1965 ? 0 : birth_year < 1990 ? 1 : 2;
	const char *given = strcmp(gender, "female") == 0 ? PICK(r, female_given[era]) : PICK(r, male_given[era]);

	snprintf(out, outlen, "%s%s", surname, given);
}

/* Common surnames are commoner: two draws in three come from the first twenty. */
static const char *surname(struct rng *r)
{
	if (rng_chance(r, 66))
		return surnames[rng_next(r) % 20];
	return PICK(r, surnames);
}

static void phone_number(struct rng *r, char out[16])
{
	snprintf(out, 16, "%s%04d%04d", PICK(r, phone_prefixes), rng_range(r, 0, 9999), rng_range(r, 0, 9999));
}

static int create_node(struct demo *d, enum node_level level, int64_t parent, const char *kind, const char *name,
		       const char *code, const char *address, int lat_micro, int lng_micro, int64_t *id)
{
	struct node_input in;

	memset(&in, 0, sizeof(in));
	in.level = level;
	in.parent_id = parent;
	in.kind = kind;
	in.name = name;
	in.code = code;
	in.address = address;
	if (lat_micro) {
		in.set_coords = 1;
		in.lat = (double)lat_micro / 1e6;
		in.lng = (double)lng_micro / 1e6;
	}
	if (org_node_create(d->s, &in, id, d->f) < 0)
		return -1;
	d->c->nodes++;
	return 0;
}

static int create_party(struct demo *d, int64_t node, const char *name, int64_t secretary, int64_t *id)
{
	struct party_org_input in;
	char founded[11];

	memset(&in, 0, sizeof(in));
	in.node_id = node;
	in.name = name;
	in.set_founded = 1;
	date_between(&d->rng, 2019, 2022, founded);
	in.founded_on = founded;
	if (secretary) {
		in.set_secretary = 1;
		in.secretary_person_id = secretary;
	}
	if (org_party_create(d->s, &in, id, d->f) < 0)
		return -1;
	d->c->party_orgs++;
	return 0;
}

static int set_secretary(struct demo *d, int64_t org, int64_t person)
{
	struct party_org_input in;

	memset(&in, 0, sizeof(in));
	in.set_secretary = 1;
	in.secretary_person_id = person;
	return org_party_update(d->s, org, &in, d->f);
}

static int assign(struct demo *d, int64_t person, const char *role, int64_t node, const char *worker_type,
		  const char *platform, const char *note)
{
	struct assignment_input in;
	char starts[11];

	memset(&in, 0, sizeof(in));
	in.person_id = person;
	in.role_code = role;
	in.node_id = node;
	date_between(&d->rng, 2021, 2023, starts);
	in.starts_on = starts;
	in.worker_type = worker_type;
	in.platform = platform;
	in.note = note;
	in.set_note = note != NULL;
	if (people_assignment_create(d->s, &in, NULL, d->f) < 0)
		return -1;
	d->c->assignments++;
	return 0;
}

static int create_person(struct demo *d, struct resident *r, int64_t home, int64_t branch)
{
	struct person_input in;
	char registered[11];

	memset(&in, 0, sizeof(in));
	in.name = r->name;
	in.phone = r->phone[0] ? r->phone : NULL;
	in.gender = r->gender;
	in.birth_year = r->birth_year;
	in.home_node_id = home;
	in.tags = r->tags;
	in.ntags = r->ntags;
	in.set_tags = r->ntags > 0;
	if (r->party) {
		in.party_member = 1;
		in.set_party_member = 1;
		in.living_org_id = branch;
		if (r->in_service) {
			/* 双找: an in-service member lives here and registered with this branch. */
			in.member_org_name = PICK(&d->rng, outside_branches);
			date_between(&d->rng, 2021, 2023, registered);
			in.registered_on = registered;
		} else {
			in.member_org_id = branch;
		}
	}
	if (people_person_create(d->s, &in, &r->id, d->f) < 0)
		return -1;
	d->c->persons++;
	if (r->party)
		d->c->party_members++;
	return 0;
}

/* Residents. */

static struct resident *add_resident(struct courtyard *y, int household, const char *sname, const char *gender,
				     int year, struct rng *r, int phone_percent)
{
	struct resident *p;

	if (y->nr == y->rcap) {
		y->rcap = y->rcap ? y->rcap * 2 : 64;
		y->r = xrealloc(y->r, (size_t)y->rcap * sizeof(*y->r));
	}
	p = &y->r[y->nr++];
	memset(p, 0, sizeof(*p));
	p->household = household;
	p->gender = gender;
	p->birth_year = year;
	person_name(r, sname, gender, year, p->name, sizeof(p->name));
	if (rng_chance(r, phone_percent))
		phone_number(r, p->phone);
	if (year <= 1945 && rng_chance(r, 60))
		p->tags[p->ntags++] = "高龄老人";
	if (year <= 1955 && rng_chance(r, 8))
		p->tags[p->ntags++] = "独居老人";
	else if (year <= 1975 && year >= 1950 && !strcmp(gender, "male") && rng_chance(r, 6))
		p->tags[p->ntags++] = "退役军人";
	return p;
}

/* A family for one household: a head, often a spouse, sometimes a child and an elder. */
static void add_family(struct demo *d, struct courtyard *y, int hh)
{
	struct rng *r = &d->rng;
	int n = rng_range(r, 1, 100), size = n <= 25 ? 1 : n <= 65 ? 2 : n <= 90 ? 3 : 4;
	const char *sname = surname(r), *gender = rng_chance(r, 55) ? "male" : "female";
	int year = y->story ? rng_range(r, 1948, 1985) : rng_range(r, 1942, 1995), first = y->nr;

	add_resident(y, hh, sname, gender, year, r, 95);
	if (size >= 2)
		add_resident(y, hh, surname(r), strcmp(gender, "male") ? "male" : "female", year + rng_range(r, -4, 3), r,
			     75);
	if (size >= 3) {
		int child = year + rng_range(r, 24, 32);

		if (child > 2016)
			child = 2016;
		add_resident(y, hh, sname, rng_chance(r, 50) ? "male" : "female", child, r, child <= 2008 ? 60 : 0);
	}
	if (size >= 4 && year - 26 >= 1925)
		add_resident(y, hh, sname, rng_chance(r, 40) ? "male" : "female", year - rng_range(r, 24, 30), r, 25);
	y->h[hh].head = first;
}

static int adult(const struct resident *r)
{
	return r->birth_year <= ADULT_BORN_BY;
}

/* A random resident matching the filter, or -1.  Filters read the resident and a context. */
typedef int (*resident_filter)(const struct courtyard *y, const struct resident *r, const void *ctx);

static int pick_resident(struct rng *rng, const struct courtyard *y, resident_filter ok, const void *ctx)
{
	int i, n = 0, k;

	for (i = 0; i < y->nr; i++)
		if (ok(y, &y->r[i], ctx))
			n++;
	if (!n)
		return -1;
	k = (int)(rng_next(rng) % (uint64_t)n);
	for (i = 0; i < y->nr; i++)
		if (ok(y, &y->r[i], ctx) && k-- == 0)
			return i;
	return -1;
}

static int free_adult(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return adult(r) && !r->busy && r->birth_year >= 1945;
}

static int any_adult(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return adult(r) && r->birth_year >= 1945;
}

static int adult_in_building(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	return adult(r) && r->birth_year >= 1945 && y->h[r->household].building == *(const int *)ctx;
}

static int party_in_building(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	return r->party && adult_in_building(y, r, ctx);
}

static int adult_in_unit(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	const int *bu = ctx;

	return adult(r) && r->birth_year >= 1945 && y->h[r->household].building == bu[0] &&
	       y->h[r->household].unit == bu[1];
}

/* A retired member in their sixties or so, as courtyard secretaries often are. */
static int secretary_candidate(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return r->party && !r->in_service && r->birth_year >= 1950 && r->birth_year <= 1968;
}

static int party_resident(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return r->party && !r->in_service;
}

static int volunteer_candidate(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return r->birth_year <= 2008 && r->birth_year >= 1950 && !r->busy;
}

static int non_party_adult(const struct courtyard *y, const struct resident *r, const void *ctx)
{
	YL_UNUSED(y);
	YL_UNUSED(ctx);
	return !r->party && adult(r) && r->birth_year <= 2000;
}

/* Party membership: central households' heads, then others at random (the story courtyard: exactly 25). */
static void choose_party(struct demo *d, struct courtyard *y)
{
	int i, members = 0;

	for (i = 0; i < y->nh; i++) {
		if (y->h[i].central == i && y->h[i].head >= 0) {
			struct resident *head = &y->r[y->h[i].head];

			if (!adult(head))
				head->birth_year = 1960;
			head->party = 1;
			members++;
		}
	}
	if (y->story) {
		while (members < DEMO_STORY_PARTY_MEMBERS) {
			int k = pick_resident(&d->rng, y, non_party_adult, NULL);

			if (k < 0)
				fatal("demo: the story courtyard has too few adults");
			y->r[k].party = 1;
			members++;
		}
	} else {
		for (i = 0; i < y->nr; i++)
			if (!y->r[i].party && adult(&y->r[i]) && y->r[i].birth_year <= 2000 && rng_chance(&d->rng, 7))
				y->r[i].party = 1, members++;
		if (!members && y->nr)
			y->r[0].party = 1;
	}
	for (i = 0; i < y->nr; i++)
		if (y->r[i].party && y->h[y->r[i].household].central != y->r[i].household && rng_chance(&d->rng, 30))
			y->r[i].in_service = 1;
	/* A secretary is needed: make sure one member is neither in service nor too young. */
	if (pick_resident(&d->rng, y, secretary_candidate, NULL) < 0) {
		for (i = 0; i < y->nr; i++) {
			if (y->r[i].party) {
				y->r[i].in_service = 0;
				if (y->r[i].birth_year > 1968 || y->r[i].birth_year < 1950)
					y->r[i].birth_year = 1958 + (int)(i % 8);
				break;
			}
		}
	}
}

/*
 * Central households: the households of each building in runs of 7 to 11, the
 * first of a run looking after the others.  In the story courtyard every unit
 * elects one (the article: 各单元推选党员中心户) and nothing is left out;
 * elsewhere one run in twelve has nobody, so the coverage report shows gaps.
 */
static void choose_central(struct demo *d, struct courtyard *y)
{
	int b, u, i;

	for (i = 0; i < y->nh; i++)
		y->h[i].central = -1;
	for (b = 0; b < y->nb; b++) {
		const struct building *bd = &y->b[b];

		if (y->story) {
			for (u = 0; u < bd->nunits; u++) {
				int first = bd->first_unit_hh[u];

				for (i = first; i < first + bd->unit_hh[u]; i++)
					y->h[i].central = first;
				y->h[first].occupied = 1;
			}
			continue;
		}
		i = bd->first_hh;
		while (i < bd->first_hh + bd->nhh) {
			int run = rng_range(&d->rng, 7, 11), end = i + run, k;

			if (end > bd->first_hh + bd->nhh)
				end = bd->first_hh + bd->nhh;
			if (end - i >= 3 && !rng_chance(&d->rng, 8)) {
				for (k = i; k < end; k++)
					y->h[k].central = i;
				y->h[i].occupied = 1;
			}
			i = end;
		}
	}
}

static int build_nodes(struct demo *d, struct courtyard *y, int lat, int lng)
{
	struct rng *r = &d->rng;
	char code[48], name[64], full[160];
	int b, u, fl, door;

	y->nb = y->story ? 4 : rng_range(r, 2, 10);
	y->b = xcalloc((size_t)y->nb, sizeof(*y->b));
	for (b = 0; b < y->nb; b++) {
		struct building *bd = &y->b[b];

		snprintf(code, sizeof(code), "%s-B%02d", y->code, b + 1);
		snprintf(name, sizeof(name), "%d号楼", b + 1);
		if (create_node(d, LEVEL_BUILDING, y->id, NULL, name, code, NULL, lat + rng_range(r, -400, 400),
				lng + rng_range(r, -400, 400), &bd->id) < 0)
			return -1;
		d->c->buildings++;
		snprintf(full, sizeof(full), "%s%d号楼党小组", y->name, b + 1);
		if (create_party(d, bd->id, full, 0, &bd->group_id) < 0)
			return -1;
		bd->nunits = y->story ? 2 : rng_range(r, 1, 4);
		bd->first_hh = y->nh;
		for (u = 0; u < bd->nunits; u++) {
			int floors = y->story ? 5 : rng_range(r, 2, 6);

			snprintf(code, sizeof(code), "%s-B%02d-U%d", y->code, b + 1, u + 1);
			snprintf(name, sizeof(name), "%d单元", u + 1);
			if (create_node(d, LEVEL_UNIT, bd->id, NULL, name, code, NULL, 0, 0, &bd->unit_ids[u]) < 0)
				return -1;
			d->c->units++;
			bd->first_unit_hh[u] = y->nh;
			bd->unit_hh[u] = floors * 2;
			for (fl = 1; fl <= floors; fl++) {
				for (door = 1; door <= 2; door++) {
					struct household *h;

					if (y->nh == y->hcap) {
						y->hcap = y->hcap ? y->hcap * 2 : 64;
						y->h = xrealloc(y->h, (size_t)y->hcap * sizeof(*y->h));
					}
					h = &y->h[y->nh];
					memset(h, 0, sizeof(*h));
					h->building = b;
					h->unit = u;
					h->head = -1;
					h->central = -1;
					snprintf(code, sizeof(code), "%s-B%02d-U%d-%d%02d", y->code, b + 1, u + 1, fl, door);
					snprintf(name, sizeof(name), "%d%02d室", fl, door);
					if (create_node(d, LEVEL_HOUSEHOLD, bd->unit_ids[u], NULL, name, code, NULL, 0, 0, &h->id) < 0)
						return -1;
					d->c->households++;
					y->nh++;
				}
			}
		}
		bd->nhh = y->nh - bd->first_hh;
	}
	return 0;
}

static int build_people(struct demo *d, struct courtyard *y)
{
	char name[160], starts[11];
	int i, k, b, u, n;

	choose_central(d, y);
	for (i = 0; i < y->nh; i++) {
		if (y->story || rng_chance(&d->rng, 40))
			y->h[i].occupied = 1;
		if (y->h[i].occupied)
			add_family(d, y, i);
	}
	choose_party(d, y);
	for (i = 0; i < y->nr; i++)
		if (create_person(d, &y->r[i], y->h[y->r[i].household].id, y->branch_id) < 0)
			return -1;

	/* Central households, their care links and the heads' role. */
	for (i = 0; i < y->nh; i++) {
		const struct household *h = &y->h[i];
		int64_t org;

		if (h->central != i)
			continue;
		snprintf(name, sizeof(name), "%s党员中心户", y->r[h->head].name);
		if (create_party(d, h->id, name, y->r[h->head].id, &org) < 0 ||
		    assign(d, y->r[h->head].id, "central_household", h->id, NULL, NULL, NULL) < 0)
			return -1;
		date_between(&d->rng, 2021, 2022, starts);
		for (k = i + 1; k < y->nh && y->h[k].central == i; k++) {
			if (people_care_create(d->s, h->id, y->h[k].id, starts, NULL, d->f) < 0)
				return -1;
			d->c->care_links++;
		}
	}

	/* The courtyard branch secretary. */
	k = pick_resident(&d->rng, y, secretary_candidate, NULL);
	if (k < 0)
		k = pick_resident(&d->rng, y, party_resident, NULL);
	if (k >= 0) {
		y->secretary = y->r[k].id;
		y->r[k].busy = 1;
		if (set_secretary(d, y->branch_id, y->r[k].id) < 0 ||
		    assign(d, y->r[k].id, "branch_secretary", y->id, NULL, NULL, NULL) < 0)
			return -1;
	}

	/* Building party group leaders and building heads (most buildings, not all). */
	for (b = 0; b < y->nb; b++) {
		int head;

		k = pick_resident(&d->rng, y, party_in_building, &b);
		if (k >= 0 && set_secretary(d, y->b[b].group_id, y->r[k].id) < 0)
			return -1;
		if (!y->story && !rng_chance(&d->rng, 88))
			continue;
		head = pick_resident(&d->rng, y, party_in_building, &b);
		if (head < 0 || rng_chance(&d->rng, 40))
			head = pick_resident(&d->rng, y, adult_in_building, &b);
		if (head >= 0 && assign(d, y->r[head].id, "building_head", y->b[b].id, NULL, NULL, NULL) < 0)
			return -1;
	}

	/* Unit heads. */
	for (b = 0; b < y->nb; b++) {
		for (u = 0; u < y->b[b].nunits; u++) {
			int bu[2] = { b, u };

			if (!y->story && !rng_chance(&d->rng, 80))
				continue;
			k = pick_resident(&d->rng, y, adult_in_unit, bu);
			if (k >= 0 && assign(d, y->r[k].id, "unit_head", y->b[b].unit_ids[u], NULL, NULL, NULL) < 0)
				return -1;
		}
	}

	/* 三长四员: the courtyard's heads and officers. */
	for (i = 0; i < (int)YL_ARRAY_LEN(courtyard_roles); i++) {
		if (!y->story && !rng_chance(&d->rng, 94))
			continue;
		k = pick_resident(&d->rng, y, free_adult, NULL);
		if (k < 0)
			k = pick_resident(&d->rng, y, any_adult, NULL);
		if (k < 0)
			continue;
		y->r[k].busy = 1;
		if (assign(d, y->r[k].id, courtyard_roles[i], y->id, NULL, NULL, NULL) < 0)
			return -1;
	}

	/* Volunteers. */
	n = y->story ? DEMO_STORY_VOLUNTEERS : rng_range(&d->rng, 2, 8);
	for (i = 0; i < n; i++) {
		k = pick_resident(&d->rng, y, volunteer_candidate, NULL);
		if (k < 0) {
			if (y->story)
				fatal("demo: the story courtyard has too few volunteers");
			break;
		}
		y->r[k].busy = 1;
		if (assign(d, y->r[k].id, "volunteer", y->id, NULL, NULL, NULL) < 0)
			return -1;
	}
	return 0;
}

static void courtyard_release(struct courtyard *y)
{
	free(y->b);
	free(y->h);
	free(y->r);
	memset(y, 0, sizeof(*y));
}

static int build_courtyard(struct demo *d, int comm, const char *comm_code, int64_t comm_id, int idx, int lat,
			   int lng, struct courtyard *y)
{
	const struct community_spec *cs = &communities[comm];
	char address[160], name[160];
	size_t i;

	y->name = NULL;
	for (i = 0; i < YL_ARRAY_LEN(named_courtyards); i++) {
		if (named_courtyards[i].community == comm && idx == 0) {
			y->name = named_courtyards[i].name;
			y->kind = named_courtyards[i].kind;
			y->story = comm == 1;
		}
	}
	if (!y->name) {
		if (d->next_name >= YL_ARRAY_LEN(courtyard_names))
			fatal("demo: too few courtyard names");
		y->name = courtyard_names[d->next_name++];
		y->kind = strstr(y->name, "宿舍") ? "dormitory" : "residential";
	}
	snprintf(y->code, sizeof(y->code), "%s-%02d", comm_code, idx + 1);
	snprintf(address, sizeof(address), "济南市章丘区明水街道%s%d号", cs->road, rng_range(&d->rng, 1, 60) * 2 + 1);
	lat += rng_range(&d->rng, -3000, 3000);
	lng += rng_range(&d->rng, -3000, 3000);
	if (create_node(d, LEVEL_COURTYARD, comm_id, y->kind, y->name, y->code, address, lat, lng, &y->id) < 0)
		return -1;
	d->c->courtyards++;
	snprintf(name, sizeof(name), "%s党支部", y->name);
	if (create_party(d, y->id, name, 0, &y->branch_id) < 0)
		return -1;
	if (build_nodes(d, y, lat, lng) < 0 || build_people(d, y) < 0)
		return -1;
	d->yards_done++;
	if (d->pr && d->pr->fn)
		d->pr->fn(d->pr->ctx, d->yards_done, d->yards_total);
	return 0;
}

/* A party member of the community (outside the story courtyard) who is not a courtyard secretary. */
static int community_member(struct demo *d, struct courtyard *yards, int n, int64_t *person)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		struct courtyard *y = &yards[rng_range(&d->rng, 0, n - 1)];
		int k;

		if (y->story)
			continue;
		k = pick_resident(&d->rng, y, party_resident, NULL);
		if (k >= 0 && y->r[k].id != y->secretary) {
			*person = y->r[k].id;
			return 0;
		}
	}
	return -1;
}

/* An adult of the community outside the story courtyard, for community-level roles. */
static int community_adult(struct demo *d, struct courtyard *yards, int n, int64_t *person)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		struct courtyard *y = &yards[rng_range(&d->rng, 0, n - 1)];
		int k;

		if (y->story)
			continue;
		k = pick_resident(&d->rng, y, free_adult, NULL);
		if (k >= 0) {
			y->r[k].busy = 1;
			*person = y->r[k].id;
			return 0;
		}
	}
	return -1;
}

/* Grids, grid members, mobile grid members (couriers and riders) and a mediator. */
static int community_roles(struct demo *d, int comm, int64_t comm_id, int64_t branch, struct courtyard *yards, int n)
{
	int ngrids = rng_range(&d->rng, 2, 4), g, i;
	int64_t person;

	if (ngrids > n)
		ngrids = n;
	if (community_member(d, yards, n, &person) == 0 &&
	    (set_secretary(d, branch, person) < 0 || assign(d, person, "branch_secretary", comm_id, NULL, NULL, NULL) < 0))
		return -1;
	if (comm == 0 && community_member(d, yards, n, &person) == 0 &&
	    (set_secretary(d, d->committee_id, person) < 0 ||
	     assign(d, person, "branch_secretary", d->subdistrict_id, NULL, NULL, NULL) < 0))
		return -1;
	for (g = 0; g < ngrids; g++) {
		struct grid_input in;
		int64_t ids[8];
		char code[32], name[96];
		int from = g * n / ngrids, to = (g + 1) * n / ngrids;

		memset(&in, 0, sizeof(in));
		for (i = from; i < to; i++)
			ids[i - from] = yards[i].id;
		/* 6 county + 3 subdistrict + 3 community + 3 grid digits. */
		snprintf(code, sizeof(code), COUNTY_DIVISION SUBDISTRICT_DIVISION "%03d%03d", comm + 1, g + 1);
		snprintf(name, sizeof(name), "%s第%d网格", communities[comm].name, g + 1);
		in.community_id = comm_id;
		in.code = code;
		in.name = name;
		in.set_nodes = 1;
		in.node_ids = ids;
		in.nnodes = (size_t)(to - from);
		if (org_grid_create(d->s, &in, NULL, d->f) < 0)
			return -1;
		d->c->grids++;
		snprintf(name, sizeof(name), "网格 %s", code);
		if (community_adult(d, yards, n, &person) == 0 &&
		    assign(d, person, "grid_member", comm_id, NULL, NULL, name) < 0)
			return -1;
	}
	/* The article: couriers and delivery riders hired as mobile grid members in all 15 communities. */
	for (i = 0; i < 3; i++) {
		struct courtyard *y;
		struct resident r;
		int rider = rng_chance(&d->rng, 55);
		int hh;

		do
			y = &yards[rng_range(&d->rng, 0, n - 1)];
		while (y->story);
		hh = rng_range(&d->rng, 0, y->nh - 1);
		memset(&r, 0, sizeof(r));
		r.gender = rng_chance(&d->rng, 85) ? "male" : "female";
		r.birth_year = rng_range(&d->rng, 1980, 2002);
		person_name(&d->rng, surname(&d->rng), r.gender, r.birth_year, r.name, sizeof(r.name));
		phone_number(&d->rng, r.phone);
		r.tags[r.ntags++] = "新就业群体";
		if (create_person(d, &r, y->h[hh].id, y->branch_id) < 0 ||
		    assign(d, r.id, "mobile_grid_member", comm_id, rider ? "rider" : "courier",
			   rider ? PICK(&d->rng, rider_platforms) : PICK(&d->rng, courier_platforms), NULL) < 0)
			return -1;
	}
	if (community_adult(d, yards, n, &person) == 0 && assign(d, person, "mediator", comm_id, NULL, NULL, NULL) < 0)
		return -1;
	return 0;
}

static int build_community(struct demo *d, int comm)
{
	const struct community_spec *cs = &communities[comm];
	struct courtyard yards[8];
	char code[16], address[160], name[160];
	int64_t id, branch;
	int lat = 36700000 + (comm % 5) * 9000 + rng_range(&d->rng, -1500, 1500);
	int lng = 117520000 + (comm / 5) * 13000 + rng_range(&d->rng, -1500, 1500);
	int i, n = cs->courtyards, rc = -1;

	memset(yards, 0, sizeof(yards));
	snprintf(code, sizeof(code), DEMO_SUBDISTRICT_CODE "-%02d", comm + 1);
	snprintf(address, sizeof(address), "济南市章丘区明水街道%s%d号", cs->road, rng_range(&d->rng, 1, 40) * 2);
	if (create_node(d, LEVEL_COMMUNITY, d->subdistrict_id, "urban", cs->name, code, address, lat, lng, &id) < 0)
		return -1;
	d->c->communities++;
	snprintf(name, sizeof(name), "%s党总支", cs->name);
	if (create_party(d, id, name, 0, &branch) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (build_courtyard(d, comm, code, id, i, lat, lng, &yards[i]) < 0)
			goto done;
	if (community_roles(d, comm, id, branch, yards, n) < 0)
		goto done;
	rc = 0;
done:
	for (i = 0; i < n; i++)
		courtyard_release(&yards[i]);
	return rc;
}

int demo_load(struct store *s, const struct demo_progress *pr, struct demo_counts *counts, struct fault *f)
{
	struct demo_counts local;
	struct demo d;
	struct node existing;
	size_t i;
	int rc;

	if (org_node_get_by_code(s, DEMO_SUBDISTRICT_CODE, &existing, f) == 0) {
		fault_set(f, FAULT_CONFLICT, "code",
			  "the demo data set is already loaded: subdistrict %s (%s) exists (node %lld)",
			  DEMO_SUBDISTRICT_CODE, existing.name, (long long)existing.id);
		node_release(&existing);
		return -1;
	}
	if (f->kind != FAULT_NOT_FOUND)
		return -1;
	fault_clear(f);
	memset(&d, 0, sizeof(d));
	memset(&local, 0, sizeof(local));
	d.s = s;
	d.rng.s = SEED;
	d.c = counts ? counts : &local;
	memset(d.c, 0, sizeof(*d.c));
	d.f = f;
	d.pr = pr;
	for (i = 0; i < YL_ARRAY_LEN(communities); i++)
		d.yards_total += (size_t)communities[i].courtyards;
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if (create_node(&d, LEVEL_SUBDISTRICT, 0, NULL, "明水街道", DEMO_SUBDISTRICT_CODE, "济南市章丘区明水街道汇泉路1号",
			36712000, 117538000, &d.subdistrict_id) < 0 ||
	    create_party(&d, d.subdistrict_id, "中共明水街道工作委员会", 0, &d.committee_id) < 0)
		goto fail;
	for (i = 0; i < YL_ARRAY_LEN(communities); i++)
		if (build_community(&d, (int)i) < 0)
			goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	return -1;
}
