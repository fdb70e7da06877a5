package endpoint

// boto3Script is the Python side of TestBoto3: it calls every operation of
// issue 7 through boto3 against AWS_ENDPOINT_URL and prints one JSON line
// per operation: {"op": ..., "ok": true, "r": {key fields}} or
// {"op": ..., "ok": false, "error": code, "status": http, "exc": class}.
// The seed (ids the Go side created) arrives as JSON in GDLAB_SEED.
const boto3Script = `
import json, os, sys, traceback
import boto3
import botocore.config
from botocore.exceptions import ClientError

seed = json.loads(os.environ["GDLAB_SEED"])
cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, s3={"addressing_style": "path"})
session = boto3.session.Session(region_name=os.environ["AWS_DEFAULT_REGION"])
def client(name):
    return session.client(name, config=cfg)

def emit(line):
    sys.stdout.write(json.dumps(line, default=str, sort_keys=True) + "\n")
    sys.stdout.flush()

def run(op, fn):
    try:
        emit({"op": op, "ok": True, "r": fn()})
    except ClientError as e:
        err = e.response.get("Error", {})
        emit({"op": op, "ok": False, "error": err.get("Code", ""), "message": err.get("Message", ""),
              "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0), "exc": "ClientError", "class": type(e).__name__})
    except Exception as e:
        emit({"op": op, "ok": False, "error": "", "exc": type(e).__name__, "message": traceback.format_exc()})

def pages(c, op, key_fn, page_size=None, **kw):
    """Runs a paginator; returns the items key_fn extracts from every page and the page count."""
    conf = {"PageSize": page_size} if page_size else {}
    items, n = [], 0
    for page in c.get_paginator(op).paginate(PaginationConfig=conf, **kw):
        n += 1
        items.extend(key_fn(page))
    return {"items": items, "pages": n}

sts = client("sts")
run("sts.GetCallerIdentity", lambda: {k: sts.get_caller_identity()[k] for k in ("Account", "Arn", "UserId")})

ec2 = client("ec2")
def instance_ids(p):
    return [i["InstanceId"] for r in p["Reservations"] for i in r["Instances"]]
run("ec2.DescribeInstances", lambda: pages(ec2, "describe_instances", instance_ids, 5))
def victim():
    i = ec2.describe_instances(InstanceIds=[seed["victim"]])["Reservations"][0]["Instances"][0]
    return {"InstanceId": i["InstanceId"], "State": i["State"]["Name"], "PublicIpAddress": i.get("PublicIpAddress", ""),
            "SubnetId": i["SubnetId"], "VpcId": i["VpcId"], "Groups": [g["GroupId"] for g in i["SecurityGroups"]],
            "Tags": {t["Key"]: t["Value"] for t in i.get("Tags", [])},
            "ENI": i["NetworkInterfaces"][0]["NetworkInterfaceId"], "LaunchTimeType": type(i["LaunchTime"]).__name__}
run("ec2.DescribeInstances.victim", victim)
run("ec2.DescribeSecurityGroups", lambda: pages(ec2, "describe_security_groups", lambda p: [g["GroupId"] for g in p["SecurityGroups"]], 5))
def initial_sg():
    g = ec2.describe_security_groups(GroupIds=[seed["sg"]])["SecurityGroups"][0]
    return {"GroupName": g["GroupName"], "VpcId": g["VpcId"],
            "Ingress": [[p["IpProtocol"], [r["CidrIp"] for r in p.get("IpRanges", [])]] for p in g["IpPermissions"]],
            "Egress": [p["IpProtocol"] for p in g["IpPermissionsEgress"]]}
run("ec2.DescribeSecurityGroups.initial", initial_sg)
run("ec2.DescribeVpcs", lambda: pages(ec2, "describe_vpcs", lambda p: [[v["VpcId"], v["CidrBlock"]] for v in p["Vpcs"]], 5))
run("ec2.DescribeSubnets", lambda: pages(ec2, "describe_subnets", lambda p: [[s["SubnetId"], s["VpcId"], s["CidrBlock"], s["MapPublicIpOnLaunch"]] for s in p["Subnets"]], 5))
run("ec2.DescribeInternetGateways", lambda: pages(ec2, "describe_internet_gateways",
    lambda p: [[g["InternetGatewayId"], [a["VpcId"] for a in g["Attachments"]]] for g in p["InternetGateways"]], 5))
run("ec2.DescribeRouteTables", lambda: pages(ec2, "describe_route_tables",
    lambda p: [[r["RouteTableId"], sorted(x.get("DestinationCidrBlock", "") for x in r["Routes"]), [a.get("SubnetId", "") for a in r["Associations"]]] for r in p["RouteTables"]], 5))
def addresses():
    a = ec2.describe_addresses()["Addresses"]
    return {"items": [[x["AllocationId"], x.get("InstanceId", ""), x["PublicIp"], x["Domain"]] for x in a]}
run("ec2.DescribeAddresses", addresses)
run("ec2.DescribeFlowLogs", lambda: pages(ec2, "describe_flow_logs",
    lambda p: [[f["FlowLogId"], f["ResourceId"], f["TrafficType"], f["LogDestination"], f["FlowLogStatus"]] for f in p["FlowLogs"]], 1))
run("ec2.DescribeImages", lambda: pages(ec2, "describe_images", lambda p: [[i["ImageId"], i["Name"]] for i in p["Images"]],
    Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]))
run("ec2.DescribeAvailabilityZones", lambda: {"items": [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]})
def isolate():
    ec2.modify_instance_attribute(InstanceId=seed["victim"], Groups=[seed["forensicSG"]])
    i = ec2.describe_instances(InstanceIds=[seed["victim"]])["Reservations"][0]["Instances"][0]
    return {"Groups": [g["GroupId"] for g in i["SecurityGroups"]]}
run("ec2.ModifyInstanceAttribute", isolate)

s3 = client("s3")
run("s3.ListBuckets", lambda: pages(s3, "list_buckets", lambda p: [b["Name"] for b in p["Buckets"]], 1))
run("s3.ListObjectsV2", lambda: pages(s3, "list_objects_v2", lambda p: [[o["Key"], o["Size"], o["ETag"]] for o in p.get("Contents", [])], 1, Bucket=seed["bucket"]))
run("s3.ListObjectsV2.delimiter", lambda: pages(s3, "list_objects_v2",
    lambda p: [o["Key"] for o in p.get("Contents", [])] + [c["Prefix"] for c in p.get("CommonPrefixes", [])], 1, Bucket=seed["bucket"], Delimiter="/"))
def get_object():
    o = s3.get_object(Bucket=seed["bucket"], Key=seed["listKey"])
    return {"Body": o["Body"].read().decode(), "ContentLength": o["ContentLength"], "ETag": o["ETag"],
            "LastModifiedType": type(o["LastModified"]).__name__}
run("s3.GetObject", get_object)
def head_object():
    o = s3.head_object(Bucket=seed["bucket"], Key=seed["listKey"])
    return {"ContentLength": o["ContentLength"], "ETag": o["ETag"]}
run("s3.HeadObject", head_object)
run("s3.HeadBucket", lambda: {"status": s3.head_bucket(Bucket=seed["bucket"])["ResponseMetadata"]["HTTPStatusCode"]})
run("s3.GetBucketLocation", lambda: {"LocationConstraint": s3.get_bucket_location(Bucket=seed["bucket"])["LocationConstraint"]})
run("s3.GetPublicAccessBlock", lambda: s3.get_public_access_block(Bucket=seed["bucket"])["PublicAccessBlockConfiguration"])
run("s3.GetBucketEncryption", lambda: {"SSEAlgorithm": s3.get_bucket_encryption(Bucket=seed["bucket"])["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]})
run("s3.GetBucketAcl", lambda: {"Grants": [[g["Grantee"]["Type"], g["Permission"]] for g in s3.get_bucket_acl(Bucket=seed["bucket"])["Grants"]]})
run("s3.GetBucketPolicy", lambda: {"Policy": json.loads(s3.get_bucket_policy(Bucket=seed["bucket2"])["Policy"])})
run("s3.GetBucketPolicy.none", lambda: s3.get_bucket_policy(Bucket=seed["bucket"]) and {})
run("s3.GetBucketVersioning", lambda: {"Status": s3.get_bucket_versioning(Bucket=seed["bucket"]).get("Status", "")})
run("s3.GetBucketTagging", lambda: {"Tags": {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=seed["bucket"])["TagSet"]}})
run("s3.GetObject.missing", lambda: s3.get_object(Bucket=seed["bucket"], Key="absent") and {})

gd = client("guardduty")
det = seed["detector"]
run("guardduty.ListDetectors", lambda: pages(gd, "list_detectors", lambda p: p["DetectorIds"], 1))
def get_detector():
    d = gd.get_detector(DetectorId=det)
    return {"Status": d["Status"], "FindingPublishingFrequency": d["FindingPublishingFrequency"], "ServiceRole": d.get("ServiceRole", "")}
run("guardduty.GetDetector", get_detector)
run("guardduty.ListThreatIntelSets", lambda: pages(gd, "list_threat_intel_sets", lambda p: p["ThreatIntelSetIds"], 1, DetectorId=det))
def get_sets():
    out = {}
    for sid in seed["sets"]:
        s = gd.get_threat_intel_set(DetectorId=det, ThreatIntelSetId=sid)
        out[sid] = {k: s[k] for k in ("Name", "Format", "Location", "Status")}
    return out
run("guardduty.GetThreatIntelSet", get_sets)
run("guardduty.CreateSampleFindings", lambda: {"status": gd.create_sample_findings(DetectorId=det,
    FindingTypes=["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"])["ResponseMetadata"]["HTTPStatusCode"]})
run("guardduty.ListFindings", lambda: pages(gd, "list_findings", lambda p: p["FindingIds"], 1, DetectorId=det))
def get_findings():
    ids = gd.list_findings(DetectorId=det, FindingCriteria={"Criterion": {"type": {"Eq": ["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}})["FindingIds"]
    fs = gd.get_findings(DetectorId=det, FindingIds=ids)["Findings"]
    return {"items": [{"Type": f["Type"], "Severity": f["Severity"], "Title": f["Title"],
                       "InstanceId": f["Resource"]["InstanceDetails"]["InstanceId"],
                       "RemoteIp": f["Service"]["Action"]["NetworkConnectionAction"]["RemoteIpDetails"]["IpAddressV4"],
                       "Count": f["Service"]["Count"]} for f in fs]}
run("guardduty.GetFindings", get_findings)

sns = client("sns")
topic = seed["topic"]
run("sns.ListTopics", lambda: pages(sns, "list_topics", lambda p: [t["TopicArn"] for t in p["Topics"]]))
run("sns.GetTopicAttributes", lambda: {k: v for k, v in sns.get_topic_attributes(TopicArn=topic)["Attributes"].items()
    if k in ("TopicArn", "Owner", "SubscriptionsPending", "SubscriptionsConfirmed", "DisplayName")})
run("sns.ListSubscriptionsByTopic", lambda: pages(sns, "list_subscriptions_by_topic",
    lambda p: [[s["Protocol"], s["Endpoint"], s["SubscriptionArn"]] for s in p["Subscriptions"]], TopicArn=topic))
run("sns.Publish", lambda: {"MessageId": sns.publish(TopicArn=topic, Subject="GuardDuty", Message="instance isolated")["MessageId"]})
run("sns.ConfirmSubscription", lambda: {"SubscriptionArn": sns.confirm_subscription(TopicArn=topic, Token=seed["token"])["SubscriptionArn"]})

sqs = client("sqs")
def sqs_flow():
    url = sqs.get_queue_url(QueueName=seed["queueName"])["QueueUrl"]
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]).get("Messages", [])
    bodies = [json.loads(m["Body"]) for m in msgs]
    for m in msgs:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    after = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return {"QueueUrl": url, "QueueArn": before["QueueArn"], "Before": before["ApproximateNumberOfMessages"],
            "Messages": [[b.get("Type"), b.get("Subject"), b.get("Message"), b.get("TopicArn")] for b in bodies],
            "After": after, "Again": len(again)}
run("sqs.GetQueueUrl+ReceiveMessage+DeleteMessage+GetQueueAttributes", sqs_flow)

ev = client("events")
run("events.ListRules", lambda: pages(ev, "list_rules", lambda p: [r["Name"] for r in p["Rules"]], 1))
def describe_rule():
    r = ev.describe_rule(Name=seed["rule"])
    return {"Name": r["Name"], "Arn": r["Arn"], "State": r["State"], "EventPattern": json.loads(r["EventPattern"])}
run("events.DescribeRule", describe_rule)
run("events.ListTargetsByRule", lambda: pages(ev, "list_targets_by_rule", lambda p: [[t["Id"], t["Arn"]] for t in p["Targets"]], 1, Rule=seed["rule"]))
run("events.TestEventPattern", lambda: {"match": ev.test_event_pattern(EventPattern=seed["pattern"], Event=seed["event"])["Result"],
    "nomatch": ev.test_event_pattern(EventPattern=seed["otherPattern"], Event=seed["event"])["Result"]})
run("events.TestEventPattern.invalid", lambda: ev.test_event_pattern(EventPattern='{"source":"aws.guardduty"}', Event=seed["event"]) and {})

lam = client("lambda")
run("lambda.ListFunctions", lambda: pages(lam, "list_functions", lambda p: [f["FunctionName"] for f in p["Functions"]], 1))
def get_function():
    c = lam.get_function(FunctionName=seed["function"])["Configuration"]
    return {k: c[k] for k in ("FunctionName", "FunctionArn", "Runtime", "Handler", "Role", "State")}
run("lambda.GetFunction", get_function)
def get_policy():
    p = json.loads(lam.get_policy(FunctionName=seed["function"])["Policy"])
    return {"Sids": [s["Sid"] for s in p["Statement"]], "Principal": p["Statement"][0]["Principal"]}
run("lambda.GetPolicy", get_policy)

logs = client("logs")
run("logs.DescribeLogGroups", lambda: pages(logs, "describe_log_groups", lambda p: [g["logGroupName"] for g in p["logGroups"]], 1))
run("logs.FilterLogEvents", lambda: pages(logs, "filter_log_events", lambda p: [e["message"] for e in p["events"]], 1,
    logGroupName=seed["logGroup"], filterPattern="isolated"))
run("logs.GetLogEvents", lambda: {"items": [e["message"] for e in logs.get_log_events(logGroupName=seed["logGroup"],
    logStreamName=seed["logStream"], startFromHead=True)["events"]]})

iam = client("iam")
def get_role():
    r = iam.get_role(RoleName=seed["role"])["Role"]
    return {"RoleName": r["RoleName"], "Arn": r["Arn"], "AssumeRolePolicyDocument": r["AssumeRolePolicyDocument"],
            "CreateDateType": type(r["CreateDate"]).__name__}
run("iam.GetRole", get_role)
run("iam.ListRolePolicies", lambda: pages(iam, "list_role_policies", lambda p: p["PolicyNames"], 1, RoleName=seed["role"]))
run("iam.GetRolePolicy", lambda: {"PolicyDocument": iam.get_role_policy(RoleName=seed["role"], PolicyName="inline")["PolicyDocument"]})

tag = client("resourcegroupstaggingapi")
run("tagging.GetResources", lambda: pages(tag, "get_resources", lambda p: [m["ResourceARN"] for m in p["ResourceTagMappingList"]], 3,
    TagFilters=[{"Key": "gdlab:lab", "Values": [seed["lab"]]}]))
run("tagging.GetResources.instances", lambda: pages(tag, "get_resources", lambda p: [m["ResourceARN"] for m in p["ResourceTagMappingList"]], 1,
    TagFilters=[{"Key": "gdlab:lab"}], ResourceTypeFilters=["ec2:instance"]))

# Operations the sandbox does not implement: botocore must parse a proper
# AWS error of each protocol (never fail to parse it).
run("unimplemented.ec2.DescribeKeyPairs", lambda: ec2.describe_key_pairs() and {})
run("unimplemented.sns.CreatePlatformApplication", lambda: sns.create_platform_application(Name="x", Platform="GCM", Attributes={}) and {})
run("unimplemented.sqs.ListQueueTags", lambda: sqs.list_queue_tags(QueueUrl=seed["queueUrl"]) and {})
run("unimplemented.guardduty.ListFilters", lambda: gd.list_filters(DetectorId=det) and {})
run("unimplemented.lambda.ListLayers", lambda: lam.list_layers() and {})
run("unimplemented.events.ListArchives", lambda: ev.list_archives() and {})
run("unimplemented.logs.DescribeDestinations", lambda: logs.describe_destinations() and {})
run("unimplemented.iam.ListUsers", lambda: iam.list_users() and {})
run("unimplemented.s3.GetBucketLifecycleConfiguration", lambda: s3.get_bucket_lifecycle_configuration(Bucket=seed["bucket"]) and {})
run("unimplemented.tagging.GetTagKeys", lambda: tag.get_tag_keys() and {})
run("unimplemented.sts.AssumeRole", lambda: sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/x", RoleSessionName="session") and {})
`
