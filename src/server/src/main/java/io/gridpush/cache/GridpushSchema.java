package io.gridpush.cache;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of gridpush's stored types; Infinispan finds the generated implementation by ServiceLoader. */
@ProtoSchema(includeClasses = StoredEntry.class, schemaPackageName = "gridpush", schemaFileName = "gridpush.proto", schemaFilePath = "proto/")
public interface GridpushSchema extends GeneratedSchema {
}
