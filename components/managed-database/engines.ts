/**
 * What webstack knows about each database engine it supports, in one place:
 * ports, versions, storage minimums, the RDS settings that force TLS and the
 * Amazon Linux 2023 packages the ec2 mode installs.
 */

export const engines = ["postgres", "mysql", "mariadb"] as const;
export type Engine = (typeof engines)[number];

export interface EngineFacts {
    /** The port clients connect to. */
    port: number;
    /** The major version used when the caller gives none. */
    defaultVersion: string;
    /**
     * Major versions RDS offers for new instances; any other version is
     * refused before a resource exists. A maintained list: source, the RDS
     * release calendars in the RDS User Guide ("Supported PostgreSQL / MySQL
     * / MariaDB major versions") and `aws rds describe-db-engine-versions
     * --engine <engine> --query "DBEngineVersions[].MajorEngineVersion"`;
     * last changed 2026-11-30 (MariaDB 11.8), PostgreSQL and MySQL lists
     * from 2026-11-22. Re-check when RDS announces a version or an end of
     * standard support.
     */
    rdsVersions: string[];
    /**
     * Smallest gp3 allocation RDS accepts for the engine (20 GiB for
     * PostgreSQL and MySQL, RDS User Guide "Amazon RDS DB instance storage").
     * The ec2 mode uses the same floor so a stage can switch modes freely.
     */
    minStorageGb: number;
    /** The RDS parameter group family for a major version. */
    parameterGroupFamily(major: string): string;
    /** The RDS parameter that refuses unencrypted connections. */
    tlsParameter: { name: string; value: string };
    /** Log types RDS exports to CloudWatch Logs (CreateDBInstance EnableCloudwatchLogsExports). */
    logExports: string[];
    /**
     * User names refused: those RDS reserves for itself, and the engine's
     * own superuser, which the ec2 mode keeps for local administration (so
     * the same name works in both modes).
     */
    reservedUsernames: string[];
    /**
     * Longest master user name the engine accepts (RDS User Guide, "DB
     * instance settings": MySQL 1-16 characters, PostgreSQL 1-63).
     */
    maxUsernameLength: number;
    /**
     * Major versions the AL2023 repositories carry for the ec2 mode; empty
     * when AL2023 has no server for the engine (MySQL).
     */
    ec2Versions: string[];
}

export const engineFacts: Record<Engine, EngineFacts> = {
    postgres: {
        port: 5432,
        defaultVersion: "16",
        rdsVersions: ["13", "14", "15", "16", "17"],
        minStorageGb: 20,
        parameterGroupFamily: (major) => `postgres${major}`,
        // rds.force_ssl=1 rejects non-TLS connections (RDS User Guide,
        // "Requiring an SSL connection to a PostgreSQL DB instance").
        tlsParameter: { name: "rds.force_ssl", value: "1" },
        logExports: ["postgresql", "upgrade"],
        reservedUsernames: ["rdsadmin", "rds_superuser", "rdsrepladmin", "postgres"],
        maxUsernameLength: 63,
        // AL2023 ships versioned PostgreSQL server packages (postgresql15-server, postgresql16-server).
        ec2Versions: ["15", "16"],
    },
    mysql: {
        port: 3306,
        defaultVersion: "8.0",
        rdsVersions: ["8.0", "8.4"],
        minStorageGb: 20,
        parameterGroupFamily: (major) => `mysql${major}`,
        // require_secure_transport=ON rejects non-TLS connections (RDS User
        // Guide, "Requiring SSL/TLS for all connections to a MySQL DB instance").
        tlsParameter: { name: "require_secure_transport", value: "1" },
        logExports: ["error", "slowquery"],
        reservedUsernames: ["rdsadmin", "rdsrepladmin", "root", "mysql.sys", "mysql.session", "mysql.infoschema"],
        maxUsernameLength: 16,
        // AL2023 carries no MySQL Community server, so the ec2 mode refuses
        // mysql (args.ts) rather than install MariaDB in its place.
        ec2Versions: [],
    },
    mariadb: {
        port: 3306,
        defaultVersion: "10.11",
        // RDS for MariaDB major versions in standard support (RDS User Guide,
        // "MariaDB on Amazon RDS versions"); 10.5 and 10.6 have left it.
        rdsVersions: ["10.11", "11.4", "11.8"],
        minStorageGb: 20,
        // RDS families are "mariadb" + major version: mariadb10.11, mariadb11.4.
        parameterGroupFamily: (major) => `mariadb${major}`,
        // RDS for MariaDB 10.5+ has require_secure_transport (RDS User Guide,
        // "Requiring SSL/TLS for all connections to a MariaDB DB instance").
        tlsParameter: { name: "require_secure_transport", value: "1" },
        // RDS for MariaDB exports audit, error, general and slowquery logs.
        logExports: ["error", "slowquery"],
        reservedUsernames: ["rdsadmin", "rdsrepladmin", "root", "mariadb.sys", "mysql.sys", "mysql.session", "mysql.infoschema"],
        // RDS User Guide, "DB instance settings": MariaDB master user 1-16 characters.
        maxUsernameLength: 16,
        // AL2023 packages MariaDB 10.5 (mariadb105-server) and 10.11 (mariadb1011-server).
        ec2Versions: ["10.5", "10.11"],
    },
};

/** Engines whose versions are "major.minor" (8.0, 10.11) rather than a single number. */
const TWO_PART_MAJOR: readonly Engine[] = ["mysql", "mariadb"];

/** The major version in a version string: "16.4" → "16", "8.0.39" → "8.0", "10.11.9" → "10.11". */
export function majorVersion(engine: Engine, version: string): string {
    const parts = version.split(".");
    return TWO_PART_MAJOR.includes(engine) ? parts.slice(0, 2).join(".") : parts[0];
}

/**
 * Whether RDS Performance Insights (now Database Insights, Standard mode)
 * runs on the instance class. RDS User Guide, "Amazon RDS DB engine, Region,
 * and instance class support for Database Insights": not for MySQL on
 * db.t*.micro / db.t*.small; no restriction for PostgreSQL.
 */
export function supportsPerformanceInsights(engine: Engine, instanceClass: string): boolean {
    if (engine === "postgres") return true;
    // The same restriction for MySQL and MariaDB.
    return !/^db\.t\d+g?\.(micro|small)$/.test(instanceClass);
}
