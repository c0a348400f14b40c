#include "model/mappingfile.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace syncdesk {

namespace {

const QStringList kEntities{QStringLiteral("customer"), QStringLiteral("ticket")};
const QStringList kKeyTypes{QStringLiteral("integer"), QStringLiteral("bigint"), QStringLiteral("uuid"),
                            QStringLiteral("text")};
const QStringList kSupportedKeyTypes{QStringLiteral("integer"), QStringLiteral("bigint")};
const QStringList kKinds{QStringLiteral("text"), QStringLiteral("text_set"), QStringLiteral("json_object")};
const QStringList kPlannedKinds{QStringLiteral("number"), QStringLiteral("boolean"), QStringLiteral("timestamp")};

// Missing keys come back as invalid nodes, whose type and position are exceptions: ask first.
QString text(const YAML::Node &node)
{
    return node && node.IsScalar() ? QString::fromStdString(node.Scalar()) : QString();
}

int lineOf(const YAML::Node &node)
{
    return node ? node.Mark().line + 1 : 0;
}

// The line of a key of `map` (a value's own position is where the value starts).
int keyLine(const YAML::Node &map, const char *key)
{
    for (const auto &entry : map) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key)
            return lineOf(entry.first);
    }
    return lineOf(map);
}

bool isIdentifier(const QString &name)
{
    static const QRegularExpression identifier(QStringLiteral(R"(^[A-Za-z_][A-Za-z0-9_$]{0,62}$)"));
    return identifier.match(name).hasMatch();
}

bool isTableName(const QString &name)
{
    const QStringList parts = name.split(QLatin1Char('.'));
    return parts.size() == 2 && isIdentifier(parts.at(0)) && isIdentifier(parts.at(1));
}

// A YAML scalar as the JSON value a row would hold: quoted text stays text, plain true/false and
// numbers become booleans and numbers, null (or ~) null.
QJsonValue scalarValue(const YAML::Node &node)
{
    if (node.IsNull())
        return QJsonValue(QJsonValue::Null);
    const QString value = text(node);
    if (node.Tag() == "!")
        return value;
    if (value == QLatin1String("true") || value == QLatin1String("false"))
        return value == QLatin1String("true");
    bool ok = false;
    const qlonglong integer = value.toLongLong(&ok);
    if (ok)
        return QJsonValue(integer);
    const double number = value.toDouble(&ok);
    if (ok)
        return number;
    return value;
}

class Parser
{
public:
    explicit Parser(QString source)
        : m_source(std::move(source))
    {
        m_mapping.source = m_source;
    }

    Result<Mapping> parse(const QByteArray &yaml)
    {
        m_mapping.text = QString::fromUtf8(yaml);
        YAML::Node root;
        try {
            root = YAML::Load(yaml.toStdString());
        } catch (const YAML::Exception &error) {
            return Result<Mapping>::failure(QStringLiteral("%1:%2: not YAML: %3")
                                                .arg(m_source)
                                                .arg(error.mark.line + 1)
                                                .arg(QString::fromStdString(error.msg)));
        }
        try {
            readRoot(root);
        } catch (const YAML::Exception &error) {
            fail(error.mark.line + 1, QString::fromStdString(error.msg));
        }
        if (!m_errors.isEmpty())
            return Result<Mapping>::failure(m_errors.join(QLatin1Char('\n')));
        return Result<Mapping>::success(std::move(m_mapping));
    }

private:
    void fail(int line, const QString &message) { m_errors << QStringLiteral("%1:%2: %3").arg(m_source).arg(line).arg(message); }
    void fail(const YAML::Node &node, const QString &message) { fail(lineOf(node), message); }

    // Reports the keys of `node` that are not `known`; false when `node` is not a map at all.
    bool expectMap(const YAML::Node &node, const QString &what, const QStringList &known)
    {
        if (!node.IsMap()) {
            fail(node, QStringLiteral("%1 must be a map of %2").arg(what, known.join(QStringLiteral(", "))));
            return false;
        }
        for (const auto &entry : node) {
            const QString key = text(entry.first);
            if (!known.contains(key))
                fail(entry.first, QStringLiteral("unknown key '%1' in %2 (known: %3)")
                                      .arg(key, what, known.join(QStringLiteral(", "))));
        }
        return true;
    }

    // The column name `node` holds; `context` gives the line when the key is missing altogether.
    QString identifier(const YAML::Node &node, const QString &what, const QString &path, const YAML::Node &context)
    {
        if (!node) {
            fail(context, QStringLiteral("%1 is missing").arg(what));
            return {};
        }
        const QString name = text(node);
        if (!isIdentifier(name)) {
            fail(node, QStringLiteral("%1 must be a column name, not '%2'").arg(what, name));
            return {};
        }
        if (!path.isEmpty())
            m_mapping.lines.insert(path, lineOf(node));
        return name;
    }

    void readRoot(const YAML::Node &root)
    {
        if (!root.IsMap()) {
            fail(1, QStringLiteral("a mapping file is a YAML map with the keys 'mapping' and 'entities'"));
            return;
        }
        expectMap(root, QStringLiteral("the file"), {QStringLiteral("mapping"), QStringLiteral("entities")});
        const YAML::Node version = root["mapping"];
        if (!version)
            fail(1, QStringLiteral("'mapping: 1' is missing (the format's version)"));
        else if (text(version) != QLatin1String("1"))
            fail(version, QStringLiteral("mapping format %1 is not known to this SyncDesk (it reads format 1)").arg(text(version)));
        const YAML::Node entities = root["entities"];
        if (!entities) {
            fail(1, QStringLiteral("'entities' is missing"));
            return;
        }
        if (!expectMap(entities, QStringLiteral("entities"), kEntities))
            return;
        for (const QString &name : kEntities) {
            if (!entities[name.toStdString()])
                fail(keyLine(root, "entities"), QStringLiteral("entity '%1' is missing: SyncDesk syncs customers and tickets").arg(name));
        }
        for (const auto &entry : entities) {
            const QString name = text(entry.first);
            if (kEntities.contains(name))
                readEntity(name, entry.first, entry.second);
        }
        checkOwners();
    }

    void readEntity(const QString &name, const YAML::Node &key, const YAML::Node &node)
    {
        EntityDefinition entity;
        entity.name = name;
        m_mapping.lines.insert(name, lineOf(key));
        if (!expectMap(node, QStringLiteral("entity '%1'").arg(name),
                       {QStringLiteral("backend"), QStringLiteral("dashboard"), QStringLiteral("match"),
                        QStringLiteral("belongs_to"), QStringLiteral("fields"), QStringLiteral("create")}))
            return;
        for (bool backendSide : {true, false}) {
            const QString side = backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard");
            const YAML::Node table = node[side.toStdString()];
            if (!table) {
                fail(key, QStringLiteral("entity '%1' has no '%2' (its table there)").arg(name, side));
                continue;
            }
            readTable(name + QLatin1Char('.') + side, table,
                      backendSide ? entity.backendTable : entity.dashboardTable,
                      backendSide ? entity.backendKey : entity.dashboardKey,
                      backendSide ? entity.backendFilter : entity.dashboardFilter);
        }
        if (const YAML::Node fields = node["fields"])
            readFields(entity, fields);
        else
            fail(key, QStringLiteral("entity '%1' has no 'fields'").arg(name));
        if (const YAML::Node match = node["match"])
            readMatch(entity, match);
        if (const YAML::Node owner = node["belongs_to"])
            readOwner(entity, owner);
        if (const YAML::Node create = node["create"])
            readCreate(entity, create);
        m_mapping.entities << entity;
    }

    void readTable(const QString &path, const YAML::Node &node, QString &table, TableKey &key,
                   QString &filter)
    {
        if (!expectMap(node, path,
                       {QStringLiteral("table"), QStringLiteral("key"), QStringLiteral("filter")}))
            return;
        if (const YAML::Node condition = node["filter"]) {
            // An SQL condition on the row (aliased t); mapping check runs it past the server.
            filter = text(condition).trimmed();
            m_mapping.lines.insert(path + QStringLiteral(".filter"), lineOf(condition));
            if (filter.isEmpty())
                fail(condition, QStringLiteral("%1.filter must be an SQL condition on the row, aliased t "
                                               "(t.role = 'customer')")
                                    .arg(path));
            else if (filter.contains(QLatin1Char(';')))
                fail(condition, QStringLiteral("%1.filter must be one condition, without ';'").arg(path));
        }
        const YAML::Node name = node["table"];
        if (!name || !isTableName(text(name))) {
            fail(name ? name : node, QStringLiteral("%1.table must name a table with its schema (schema.table)").arg(path));
        } else {
            table = text(name);
            m_mapping.lines.insert(path + QStringLiteral(".table"), lineOf(name));
        }
        const YAML::Node keyNode = node["key"];
        if (!keyNode) {
            fail(node, QStringLiteral("%1.key is missing: {column: ..., type: integer|bigint|uuid|text}").arg(path));
            return;
        }
        m_mapping.lines.insert(path + QStringLiteral(".key"), lineOf(keyNode));
        if (!expectMap(keyNode, path + QStringLiteral(".key"), {QStringLiteral("column"), QStringLiteral("type")}))
            return;
        key.column = identifier(keyNode["column"], path + QStringLiteral(".key.column"), path + QStringLiteral(".key"), keyNode);
        const QString type = text(keyNode["type"]);
        if (!kKeyTypes.contains(type))
            fail(keyNode, QStringLiteral("%1.key.type must be one of %2").arg(path, kKeyTypes.join(QStringLiteral(", "))));
        else if (!kSupportedKeyTypes.contains(type) || key.column != QLatin1String("id"))
            fail(keyNode, QStringLiteral("%1.key: this version of SyncDesk syncs tables whose key is an integer or bigint "
                                         "column named id")
                              .arg(path));
        key.type = type;
    }

    void readFields(EntityDefinition &entity, const YAML::Node &fields)
    {
        const QString path = entity.name + QStringLiteral(".fields");
        if (!fields.IsMap() || fields.size() == 0) {
            fail(fields, QStringLiteral("%1 must map each field's canonical name to its columns").arg(path));
            return;
        }
        QSet<QString> backendColumns, dashboardColumns;
        for (const auto &entry : fields) {
            FieldDefinition field;
            field.name = text(entry.first);
            const QString fieldPath = path + QLatin1Char('.') + field.name;
            m_mapping.lines.insert(fieldPath, lineOf(entry.first));
            if (!isIdentifier(field.name)) {
                fail(entry.first, QStringLiteral("'%1' is not a field name (letters, digits and _)").arg(field.name));
                continue;
            }
            const YAML::Node spec = entry.second;
            if (!expectMap(spec, QStringLiteral("field '%1'").arg(field.name),
                           {QStringLiteral("backend"), QStringLiteral("dashboard"), QStringLiteral("kind"),
                            QStringLiteral("owner"), QStringLiteral("not_null"), QStringLiteral("values"),
                            QStringLiteral("lookup")}))
                continue;
            for (bool backendSide : {true, false}) {
                const std::string side = backendSide ? "backend" : "dashboard";
                if (!spec[side]) {
                    fail(entry.first, QStringLiteral("field '%1' has no %2 column").arg(field.name, QString::fromStdString(side)));
                    continue;
                }
                QString &column = backendSide ? field.backendColumn : field.dashboardColumn;
                QStringList &parts = backendSide ? field.backendParts : field.dashboardParts;
                const QString what =
                    QStringLiteral("the %1 column of '%2'").arg(QString::fromStdString(side), field.name);
                const QString where = fieldPath + QLatin1Char('.') + QString::fromStdString(side);
                if (spec[side].IsSequence()) {
                    // [firstname, lastname]: one value kept in two columns.
                    if (spec[side].size() != 2)
                        fail(spec[side],
                             QStringLiteral(
                                 "%1 must be one column, or two ([first, last]) for a name kept in two")
                                 .arg(what));
                    for (const auto &part : spec[side])
                        parts << identifier(part, what, where, spec);
                    column = parts.value(0);
                } else {
                    column = identifier(spec[side], what, where, spec);
                }
                QSet<QString> &seen = backendSide ? backendColumns : dashboardColumns;
                for (const QString &name : parts.isEmpty() ? QStringList{column} : parts) {
                    if (!name.isEmpty() && seen.contains(name))
                        fail(spec[side], QStringLiteral("column %1 is mapped twice on the %2 side")
                                             .arg(name, QString::fromStdString(side)));
                    seen.insert(name);
                }
            }
            if (const YAML::Node kind = spec["kind"]) {
                const QString name = text(kind);
                if (kPlannedKinds.contains(name))
                    fail(kind, QStringLiteral("kind '%1' is not supported by this version of SyncDesk yet (%2 are)")
                                   .arg(name, kKinds.join(QStringLiteral(", "))));
                else if (!kKinds.contains(name))
                    fail(kind, QStringLiteral("kind must be one of %1").arg(kKinds.join(QStringLiteral(", "))));
                field.kind = name == QLatin1String("text_set")      ? FieldDefinition::Kind::TextSet
                             : name == QLatin1String("json_object") ? FieldDefinition::Kind::JsonObject
                                                                    : FieldDefinition::Kind::Text;
            }
            if (const YAML::Node owner = spec["owner"]) {
                const QString name = text(owner);
                if (name == QLatin1String("backend"))
                    field.owner = FieldDefinition::Owner::Backend;
                else if (name == QLatin1String("dashboard"))
                    field.owner = FieldDefinition::Owner::Dashboard;
                else if (name != QLatin1String("shared"))
                    fail(owner, QStringLiteral("owner must be backend, dashboard or shared"));
            }
            if (const YAML::Node notNull = spec["not_null"]) {
                const QString sides = text(notNull);
                if (!QStringList{QStringLiteral("none"), QStringLiteral("backend"), QStringLiteral("dashboard"),
                                 QStringLiteral("both")}
                         .contains(sides))
                    fail(notNull, QStringLiteral("not_null must be none, backend, dashboard or both"));
                field.notNullBackend = sides == QLatin1String("backend") || sides == QLatin1String("both");
                field.notNullDashboard = sides == QLatin1String("dashboard") || sides == QLatin1String("both");
            }
            if ((!field.backendParts.isEmpty() || !field.dashboardParts.isEmpty()) &&
                (field.kind != FieldDefinition::Kind::Text || spec["values"] || spec["lookup"]))
                fail(entry.first,
                     QStringLiteral(
                         "field '%1': a value kept in two columns is plain text (no kind, values or "
                         "lookup)")
                         .arg(field.name));
            if (const YAML::Node values = spec["values"])
                readValues(field, values, fieldPath + QStringLiteral(".values"));
            if (const YAML::Node lookup = spec["lookup"])
                readLookup(field, lookup, fieldPath + QStringLiteral(".lookup"));
            entity.fields << field;
        }
    }

    // lookup: {dashboard: {table: public.ticket_states, key: id, value: name}}
    void readLookup(FieldDefinition &field, const YAML::Node &lookup, const QString &path)
    {
        m_mapping.lines.insert(path, lineOf(lookup));
        if (!expectMap(lookup, path, {QStringLiteral("backend"), QStringLiteral("dashboard")}))
            return;
        if (field.kind != FieldDefinition::Kind::Text) {
            fail(lookup,
                 QStringLiteral("lookup translates text fields only ('%1' is not one)").arg(field.name));
            return;
        }
        for (const bool backendSide : {true, false}) {
            const QString side = backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard");
            const YAML::Node spec = lookup[side.toStdString()];
            if (!spec)
                continue;
            const QString where = path + QLatin1Char('.') + side;
            m_mapping.lines.insert(where, lineOf(spec));
            if (!expectMap(spec, where,
                           {QStringLiteral("table"), QStringLiteral("key"), QStringLiteral("value")}))
                continue;
            if (!(backendSide ? field.backendValues : field.dashboardValues).isEmpty()) {
                fail(spec, QStringLiteral("%1: a side has values or a lookup, not both").arg(where));
                continue;
            }
            FieldDefinition::Lookup read;
            read.table = text(spec["table"]);
            if (!isTableName(read.table))
                fail(spec["table"] ? spec["table"] : spec,
                     QStringLiteral("%1.table must name a table with its schema").arg(where));
            read.key =
                identifier(spec["key"], where + QStringLiteral(".key"), where + QStringLiteral(".key"), spec);
            read.value = identifier(spec["value"], where + QStringLiteral(".value"),
                                    where + QStringLiteral(".value"), spec);
            (backendSide ? field.backendLookup : field.dashboardLookup) = read;
        }
    }

    // values: {backend: {0: open, 1: resolved}, dashboard: {...}}: each side's own spelling of a text
    // field's canonical values.
    void readValues(FieldDefinition &field, const YAML::Node &values, const QString &path)
    {
        m_mapping.lines.insert(path, lineOf(values));
        if (!expectMap(values, path, {QStringLiteral("backend"), QStringLiteral("dashboard")}))
            return;
        if (field.kind != FieldDefinition::Kind::Text) {
            fail(values,
                 QStringLiteral("values translate text fields only ('%1' is not one)").arg(field.name));
            return;
        }
        for (const bool backendSide : {true, false}) {
            const YAML::Node map = values[backendSide ? "backend" : "dashboard"];
            if (!map)
                continue;
            if (!map.IsMap() || map.size() == 0) {
                fail(map,
                     QStringLiteral("%1.%2 must be a map of that side's values to canonical ones")
                         .arg(path, backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard")));
                continue;
            }
            auto &pairs = backendSide ? field.backendValues : field.dashboardValues;
            QSet<QString> seen;
            for (const auto &entry : map) {
                const QJsonValue sideValue = scalarValue(entry.first);
                const QString key = field.normalize(sideValue).toString();
                if (seen.contains(key))
                    fail(entry.first, QStringLiteral("%1 is listed twice").arg(text(entry.first)));
                seen.insert(key);
                // One canonical value, or several ([open, new]): read as the first, each written as this.
                QStringList canonicals;
                if (entry.second.IsSequence()) {
                    for (const auto &item : entry.second)
                        canonicals << text(item);
                } else {
                    canonicals << text(entry.second);
                }
                if (canonicals.isEmpty() || canonicals.contains(QString())) {
                    fail(entry.second,
                         QStringLiteral("the canonical value of %1 must be a text, or a list of texts")
                             .arg(text(entry.first)));
                    continue;
                }
                for (const QString &canonical : std::as_const(canonicals))
                    pairs.append({sideValue, canonical});
            }
        }
    }

    void readMatch(EntityDefinition &entity, const YAML::Node &match)
    {
        static const QRegularExpression form(QStringLiteral(R"(^\s*(?:(lower)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*))\s*$)"));
        const QRegularExpressionMatch parsed = form.match(text(match));
        const QString field = parsed.captured(2).isEmpty() ? parsed.captured(3) : parsed.captured(2);
        if (const FieldDefinition *matched = entity.field(field); matched && matched->split()) {
            fail(match,
                 QStringLiteral("match cannot use '%1': it is kept in two columns on a side").arg(field));
            return;
        }
        if (!parsed.hasMatch() || !entity.field(field)) {
            fail(match, QStringLiteral("match must name one of the entity's fields, as it is or as lower(field)"));
            return;
        }
        entity.matchField = field;
        entity.matchIgnoresCase = !parsed.captured(1).isEmpty();
        m_mapping.lines.insert(entity.name + QStringLiteral(".match"), lineOf(match));
    }

    void readOwner(EntityDefinition &entity, const YAML::Node &owner)
    {
        const QString path = entity.name + QStringLiteral(".belongs_to");
        m_mapping.lines.insert(path, lineOf(owner));
        if (!expectMap(owner, path, {QStringLiteral("entity"), QStringLiteral("backend"), QStringLiteral("dashboard")}))
            return;
        entity.ownerEntity = text(owner["entity"]);
        entity.ownerBackendColumn =
            identifier(owner["backend"], path + QStringLiteral(".backend"), path + QStringLiteral(".backend"), owner);
        entity.ownerDashboardColumn =
            identifier(owner["dashboard"], path + QStringLiteral(".dashboard"), path + QStringLiteral(".dashboard"), owner);
    }

    void readCreate(EntityDefinition &entity, const YAML::Node &create)
    {
        const QString path = entity.name + QStringLiteral(".create");
        if (!expectMap(create, path, {QStringLiteral("backend"), QStringLiteral("dashboard")}))
            return;
        for (bool backendSide : {true, false}) {
            const QString side = backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard");
            const YAML::Node columns = create[side.toStdString()];
            if (!columns)
                continue;
            if (!columns.IsMap()) {
                fail(columns, QStringLiteral("%1.%2 must map columns to their values").arg(path, side));
                continue;
            }
            for (const auto &entry : columns) {
                CreateValue value;
                value.column = identifier(entry.first, QStringLiteral("a column of %1.%2").arg(path, side),
                                          path + QLatin1Char('.') + side + QLatin1Char('.') + text(entry.first), columns);
                if (!readCreateValue(entry.second, value))
                    continue;
                for (const FieldDefinition &field : std::as_const(entity.fields)) {
                    if ((backendSide ? field.backendColumn : field.dashboardColumn) == value.column)
                        fail(entry.first, QStringLiteral("column %1 is field '%2' already").arg(value.column, field.name));
                }
                (backendSide ? entity.createInBackend : entity.createInDashboard) << value;
            }
        }
    }

    bool readCreateValue(const YAML::Node &node, CreateValue &value)
    {
        if (node.IsScalar() || node.IsNull()) {
            // now(): the time the row is made (created_at columns without a default); quoted, a text.
            value.now = node.IsScalar() && node.Tag() != "!" && text(node) == QLatin1String("now()");
            value.constant = value.now ? QJsonValue() : scalarValue(node);
            return true;
        }
        if (!expectMap(node, QStringLiteral("the value of %1").arg(value.column), {QStringLiteral("from"), QStringLiteral("values")}))
            return false;
        value.from = identifier(node["from"], QStringLiteral("'from' of %1").arg(value.column), QString(), node);
        const YAML::Node values = node["values"];
        if (!values)
            return !value.from.isEmpty();
        if (!values.IsMap()) {
            fail(values, QStringLiteral("'values' must map the column's values to those written"));
            return false;
        }
        for (const auto &entry : values) {
            if (entry.first.IsScalar() && entry.first.Scalar() == "*")
                value.otherwise = scalarValue(entry.second);
            else
                value.values.append({scalarValue(entry.first), scalarValue(entry.second)});
        }
        return !value.from.isEmpty();
    }

    // A ticket belongs to a customer; nothing else may belong to anything.
    void checkOwners()
    {
        for (EntityDefinition &entity : m_mapping.entities) {
            const bool isTicket = entity.name == QLatin1String("ticket");
            const int line = m_mapping.lineOf(entity.name + QStringLiteral(".belongs_to"));
            if (isTicket && entity.ownerEntity != QLatin1String("customer"))
                fail(line ? line : m_mapping.lineOf(entity.name),
                     QStringLiteral("ticket must have belongs_to: {entity: customer, backend: <column>, dashboard: <column>}"));
            if (!isTicket && !entity.ownerEntity.isEmpty())
                fail(line, QStringLiteral("%1 cannot belong to another entity").arg(entity.name));
        }
    }

    QString m_source;
    Mapping m_mapping;
    QStringList m_errors;
};

} // namespace

Result<Mapping> MappingFile::parse(const QByteArray &yaml, const QString &source)
{
    return Parser(source).parse(yaml);
}

Result<Mapping> MappingFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Mapping>::failure(QStringLiteral("cannot read the mapping file %1: %2").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

} // namespace syncdesk
